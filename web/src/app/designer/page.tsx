"use client";

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";

import { Designer } from "@/components/Designer";

export default function DesignerPage() {
  return (
    <Suspense>
      <DesignerFromQuery />
    </Suspense>
  );
}

function DesignerFromQuery() {
  const name = useSearchParams().get("name");
  return <Designer key={name ?? ""} name={name} />;
}
