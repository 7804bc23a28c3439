"use client";

import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";

export type OpNodeData = {
  key: string;
  kind: string;
  state?: string;
  detail?: string;
  problems?: string[];
};

export type OpFlowNode = Node<OpNodeData, "op">;

function OpNodeView({ data, selected }: NodeProps<OpFlowNode>) {
  const problems = data.problems ?? [];
  const label = `${data.key} (${data.kind})${data.state ? `, ${data.state}` : ""}${
    problems.length ? `, ${problems.length} problem${problems.length > 1 ? "s" : ""}` : ""
  }`;
  return (
    <div
      className={`op-node state-${data.state ?? "none"}${problems.length ? " has-problems" : ""}${selected ? " selected" : ""}`}
      data-op={data.key}
      data-state={data.state ?? ""}
      role="group"
      aria-label={label}
      title={problems.join("\n") || undefined}
    >
      <Handle type="target" position={Position.Top} />
      <div className="op-key">{data.key}</div>
      <div className="op-kind">
        {data.kind}
        {data.state ? ` · ${data.state}` : ""}
        {data.detail ? ` · ${data.detail}` : ""}
      </div>
      {problems.length > 0 && (
        <div className="op-problems" role="note">
          {problems.length} problem{problems.length > 1 ? "s" : ""}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

export const OpNode = memo(OpNodeView);
export const NODE_TYPES = { op: OpNode };

const STATE_COLOURS: Record<string, string> = {
  succeeded: "#1e7a3c",
  failed: "#b3261e",
  running: "#1f5fbf",
  retrying: "#1f5fbf",
  waiting: "#c98a00",
  ready: "#5c8fd6",
};

export function minimapColor(node: OpFlowNode): string {
  if (node.data.problems?.length) return "#b3261e";
  return STATE_COLOURS[node.data.state ?? ""] ?? "#8a929c";
}
