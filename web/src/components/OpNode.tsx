"use client";

import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";

export type OpNodeData = {
  key: string;
  kind: string;
  state?: string;
  detail?: string;
  problems?: string[];
  /** A loop drawn as a group: how many operations its body has. */
  body?: number;
};

export type OpFlowNode = Node<OpNodeData, "op">;

export type BodyNodeData = {
  loop: string;
  /** The key in the loop's body group; empty for a one-operation body. */
  key: string;
  kind: string;
};

/** An operation inside a loop's body, drawn within the loop's group. */
export type BodyFlowNode = Node<BodyNodeData, "body">;

export type FlowNode = OpFlowNode | BodyFlowNode;

function OpNodeView({ data, selected }: NodeProps<OpFlowNode>) {
  const problems = data.problems ?? [];
  const label = `${data.key} (${data.kind})${data.state ? `, ${data.state}` : ""}${
    problems.length ? `, ${problems.length} problem${problems.length > 1 ? "s" : ""}` : ""
  }`;
  return (
    <div
      className={`op-node state-${data.state ?? "none"}${problems.length ? " has-problems" : ""}${selected ? " selected" : ""}${
        data.body ? " loop-node" : ""
      }`}
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
      {data.body ? (
        <div className="loop-body-area" aria-hidden="true">
          <span>
            runs for each {data.kind === "foreach" || data.kind === "for" ? "item" : "iteration"}
          </span>
        </div>
      ) : null}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

function BodyNodeView({ data }: NodeProps<BodyFlowNode>) {
  const name = data.key || data.kind;
  return (
    <div
      className="body-node"
      data-body-of={data.loop}
      data-body-op={data.key}
      role="group"
      aria-label={`${name} (${data.kind}), in the body of ${data.loop}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="op-key">{name}</div>
      {data.key && <div className="op-kind">{data.kind}</div>}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

export const OpNode = memo(OpNodeView);
export const BodyNode = memo(BodyNodeView);
export const NODE_TYPES = { op: OpNode, body: BodyNode };

const STATE_COLOURS: Record<string, string> = {
  succeeded: "#1e7a3c",
  failed: "#b3261e",
  running: "#1f5fbf",
  retrying: "#1f5fbf",
  waiting: "#c98a00",
  ready: "#5c8fd6",
};

export function minimapColor(node: FlowNode): string {
  if (node.type === "body") return "#c3c8cf";
  if (node.data.problems?.length) return "#b3261e";
  return STATE_COLOURS[node.data.state ?? ""] ?? "#8a929c";
}
