"use client";

// What the schedules, hooks and webhooks forms share: a labelled field that carries the
// API's problems about it, and the project's workflow names to choose from.
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";

import { api, unwrap } from "@/lib/api";

export function useWorkflowNames(): string[] {
  const workflows = useQuery({
    queryKey: ["workflows", "names"],
    queryFn: () => unwrap(api.GET("/v1/workflows", { params: { query: { limit: 500 } } })),
  });
  return (workflows.data?.items ?? []).map((item) => item.name);
}

/** A labelled control with its help and the API's problems about it, announced with it. */
export function FormField({
  label,
  help,
  problems,
  children,
}: {
  label: string;
  help?: string;
  problems: string[];
  children: (id: string, described: { "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
}) {
  const id = useId();
  const describedBy = [help ? `${id}-help` : "", problems.length ? `${id}-problems` : ""].filter(Boolean).join(" ");
  return (
    <div className={`field${problems.length ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, { "aria-describedby": describedBy || undefined, "aria-invalid": problems.length ? true : undefined })}
      {help && <small id={`${id}-help`}>{help}</small>}
      {problems.length > 0 && (
        <ul id={`${id}-problems`} className="field-problems">
          {problems.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

