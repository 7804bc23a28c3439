"use client";

import { useMemo, useState } from "react";

import { groupKinds, KIND_MIME, type Kind } from "@/lib/kinds";


export function Palette({ kinds, onAdd, disabled }: { kinds: Kind[]; onAdd: (kind: string) => void; disabled: boolean }) {
  const [filter, setFilter] = useState("");
  const groups = useMemo(
    () => groupKinds(kinds.filter((kind) => kind.name.includes(filter.trim().toLowerCase()))),
    [kinds, filter],
  );
  return (
    <nav className="palette" aria-label="Operation kinds">
      <label htmlFor="palette-filter">Find a kind</label>
      <input id="palette-filter" type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
      {groups.map(([family, members]) => (
        <section key={family} aria-label={family}>
          <h3>{family}</h3>
          <ul>
            {members.map((kind) => (
              <li
                key={kind.name}
                className="palette-item"
                data-kind={kind.name}
                draggable={!disabled}
                onDragStart={(event) => {
                  event.dataTransfer.setData(KIND_MIME, kind.name);
                  event.dataTransfer.effectAllowed = "copy";
                }}
                title={kind.summary}
              >
                <span>{kind.name}</span>
                <button type="button" onClick={() => onAdd(kind.name)} disabled={disabled} aria-label={`Add ${kind.name}`}>
                  +
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
