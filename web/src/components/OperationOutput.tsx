"use client";

import { useState } from "react";

import { ErrorNote } from "@/components/Shell";
import { downloadFromApi, saveBlob } from "@/lib/download";
import {
  aiOutput,
  artifactFileName,
  artifactUrl,
  describeUsage,
  findArtifacts,
  hasUsage,
  type LiveText,
  shownOutput,
  type UsageLike,
} from "@/lib/runOutput";

/** An operation run's result: its AI answer (live while written), tool calls, usage,
 * artifacts as downloads and its output as JSON (cut short when large). */
export function OperationOutput({
  runId,
  opKey,
  output,
  usage,
  live,
}: {
  runId: string;
  opKey: string;
  output: unknown;
  usage: UsageLike | null | undefined;
  live: LiveText | undefined;
}) {
  const hasOutput = output !== null && output !== undefined;
  const ai = hasOutput ? aiOutput(output) : null;
  return (
    <>
      {!hasOutput && live && (
        <>
          <h4>
            Answer <span className="hint">writing…</span>
          </h4>
          {live.gap && <p className="hint">Joined while it was being written: the start shows once it is done.</p>}
          <pre className="answer" aria-label={`Answer of ${opKey}`} data-live="true" aria-live="polite" tabIndex={0}>
            {live.gap ? "…" : ""}
            {live.text}
          </pre>
        </>
      )}
      {ai && (
        <>
          <h4>
            Answer <span className="hint">{ai.model}{ai.finishReason ? ` · ${ai.finishReason}` : ""}</span>
          </h4>
          <pre className="answer" aria-label={`Answer of ${opKey}`} data-live="false" tabIndex={0}>
            {ai.text}
          </pre>
          {ai.toolCalls.length > 0 && <ToolCalls opKey={opKey} calls={ai.toolCalls} />}
        </>
      )}
      {hasUsage(usage) && (
        <p aria-label={`Usage of ${opKey}`} className="usage">
          <strong>Usage:</strong> {describeUsage(usage)}
        </p>
      )}
      {hasOutput && <Artifacts runId={runId} value={output} label={`Artifacts of ${opKey}`} />}
      {hasOutput && <JsonValue label={`Output of ${opKey}`} value={output} fileName={`${opKey}.output.json`} title="Output" />}
    </>
  );
}

function ToolCalls({ opKey, calls }: { opKey: string; calls: NonNullable<ReturnType<typeof aiOutput>>["toolCalls"] }) {
  return (
    <table aria-label={`Tool calls of ${opKey}`}>
      <caption className="hint">Tool calls</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Tool</th>
          <th scope="col">Arguments</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call, index) => (
          <tr key={index}>
            <td>{call.step}</td>
            <td>
              <code>{call.name}</code>
            </td>
            <td>
              <code>{JSON.stringify(call.arguments)}</code>
            </td>
            <td>
              {call.ok ? "ok" : `failed: ${call.error ?? "error"}`}
              {call.duration_ms !== undefined ? ` · ${call.duration_ms} ms` : ""}
              {call.result_chars !== undefined ? ` · ${call.result_chars} chars` : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The artifact references in ``value``, each a download with the console's credentials. */
export function Artifacts({ runId, value, label }: { runId: string; value: unknown; label: string }) {
  const found = findArtifacts(value);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  if (!found.length) return null;
  async function download(path: string, url: string, name: string) {
    setError(null);
    setBusy(path);
    try {
      await downloadFromApi(url, name);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section aria-label={label}>
      <h4>Artifacts</h4>
      <ul className="artifacts">
        {found.map(({ path, ref }) => (
          <li key={path}>
            <button
              type="button"
              disabled={busy === path}
              onClick={() => void download(path, artifactUrl(runId, ref), artifactFileName(ref))}
            >
              Download {artifactFileName(ref)}
            </button>{" "}
            <span className="hint">
              <code>{path}</code> · {formatBytes(ref.size)} · {ref.content_type}
            </span>
          </li>
        ))}
      </ul>
      <ErrorNote error={error} />
    </section>
  );
}

/** A JSON value; a large one cut short, with the whole offered as a download. */
export function JsonValue({ label, value, fileName, title }: { label: string; value: unknown; fileName: string; title: string }) {
  const shown = shownOutput(value);
  return (
    <>
      <h4>{title}</h4>
      {shown.whole !== null && (
        <p className="hint">
          {formatBytes(new Blob([shown.whole]).size)} — the start is shown.{" "}
          <button type="button" onClick={() => saveBlob(new Blob([shown.whole ?? ""], { type: "application/json" }), fileName)}>
            Download {fileName}
          </button>
        </p>
      )}
      {/* focusable: a long value scrolls, and the keyboard must reach it */}
      <pre aria-label={label} tabIndex={0}>
        {shown.text}
      </pre>
    </>
  );
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}
