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
      aria-label={label}
      title={problems.join("\n") || undefined}
    >
      <Handle type="target" position={Position.Top} aria-label={`${data.key}: needs`} />
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
      <Handle type="source" position={Position.Bottom} aria-label={`${data.key}: needed by`} />
    </div>
  );
}

export const OpNode = memo(OpNodeView);
export const NODE_TYPES = { op: OpNode };
