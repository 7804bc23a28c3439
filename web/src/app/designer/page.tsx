"use client";

import { useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";

import { Designer } from "@/components/Designer";

export default function DesignerPage() {
  return (
    <Suspense>
      <DesignerFromQuery />
    </Suspense>
  );
}

function DesignerFromQuery() {
  // The workflow opened; saving a new one names it in the URL without reopening it.
  const [name] = useState(useSearchParams().get("name"));
  return <Designer name={name} />;
}
