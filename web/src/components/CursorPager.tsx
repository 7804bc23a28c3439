"use client";

import { useState } from "react";

/** The cursors of the pages seen so far, the current one last (null: the first page). */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    first: cursors.length < 2,
    older: (next: string) => setCursors([...cursors, next]),
    newer: () => setCursors(cursors.slice(0, -1)),
    reset: () => setCursors([null]),
  };
}

/** Newer/Older buttons over a cursor-paged list. */
export function CursorPager({ label, cursors, next }: { label: string; cursors: ReturnType<typeof useCursors>; next: string | null | undefined }) {
  return (
    <nav className="row" aria-label={label}>
      <button type="button" disabled={cursors.first} onClick={cursors.newer}>
        Newer
      </button>
      <button type="button" disabled={!next} onClick={() => next && cursors.older(next)}>
        Older
      </button>
    </nav>
  );
}
