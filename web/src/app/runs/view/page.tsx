"use client";

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";

import { RunView } from "@/components/RunView";

export default function RunPage() {
  return (
    <Suspense>
      <RunFromQuery />
    </Suspense>
  );
}

function RunFromQuery() {
  const id = useSearchParams().get("id");
  if (!id) return <p role="alert">No run named: open a run from the runs list.</p>;
  return <RunView runId={id} />;
}
