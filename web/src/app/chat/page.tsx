"use client";

// Chat (docs/ai.md "Chat"): a thread with a persona (stored, by name, or ad-hoc
// instructions) or with a chat workflow. Each message is answered by a run, streamed here
// as it is written; one message at a time. ?id= names the open thread, ?persona= preselects
// a stored persona for a new one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, Suspense, useEffect, useRef, useState } from "react";

import { ErrorNote, useMe } from "@/components/Shell";
import { StateBadge } from "@/components/StateBadge";
import { api, ApiProblem, type Schemas, unwrap } from "@/lib/api";
import { applyChatEvent, sendMessage, type ShownMessage, shownThread } from "@/lib/chat";
import { atLeast } from "@/lib/roles";

type Partner = "persona" | "instructions" | "workflow";

export default function ChatPage() {
  return (
    <Suspense>
      <ChatFromQuery />
    </Suspense>
  );
}

function ChatFromQuery() {
  const query = useSearchParams();
  const router = useRouter();
  const id = query.get("id");
  const canChat = atLeast(useMe().data?.role, "editor");
  const open = (chat: string | null) => router.push(chat ? `/chat/?id=${encodeURIComponent(chat)}` : "/chat/");
  return (
    <section>
      <h1>Chat</h1>
      {!canChat && <p className="hint">Chatting takes the editor role; a viewer cannot open or read threads.</p>}
      <div className="chat-layout">
        <div className="stack">
          <NewChat persona={query.get("persona") ?? ""} onOpened={open} disabled={!canChat} />
          {canChat && <Threads current={id} onOpen={open} />}
        </div>
        {id && canChat ? <Thread key={id} chatId={id} /> : <p className="hint">Open a chat, or pick one of your threads.</p>}
      </div>
    </section>
  );
}

function NewChat({ persona: preselected, onOpened, disabled }: { persona: string; onOpened: (id: string) => void; disabled: boolean }) {
  const client = useQueryClient();
  const [partner, setPartner] = useState<Partner>("persona");
  const [persona, setPersona] = useState(preselected);
  const [instructions, setInstructions] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [title, setTitle] = useState("");
  const personas = useQuery({
    queryKey: ["personas"],
    queryFn: () => unwrap(api.GET("/v1/personas", { params: { query: { limit: 500 } } })),
  });
  const workflows = useQuery({
    queryKey: ["workflows", "names"],
    queryFn: () => unwrap(api.GET("/v1/workflows", { params: { query: { limit: 500 } } })),
    enabled: partner === "workflow",
  });
  const create = useMutation({
    mutationFn: () => {
      const body: Schemas["ChatCreate"] =
        partner === "persona" ? { persona } : partner === "instructions" ? { persona: { instructions } } : { workflow };
      if (title.trim()) body.title = title.trim();
      return unwrap(api.POST("/v1/chats", { body }));
    },
    onSuccess: (chat) => {
      setTitle("");
      void client.invalidateQueries({ queryKey: ["chats"] });
      onOpened(chat.id);
    },
  });
  const choices: [Partner, string][] = [
    ["persona", "A stored persona"],
    ["instructions", "Ad-hoc instructions"],
    ["workflow", "A chat workflow"],
  ];
  return (
    <form
      className="stack"
      aria-label="New chat"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <h2>New chat</h2>
      <fieldset className="stack" disabled={disabled}>
        <legend>Talk to</legend>
        {choices.map(([value, label]) => (
          <label key={value} className="inline">
            <input type="radio" name="partner" value={value} checked={partner === value} onChange={() => setPartner(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      {partner === "persona" && (
        <>
          <label htmlFor="chat-persona">Persona</label>
          <select id="chat-persona" required disabled={disabled} value={persona} onChange={(event) => setPersona(event.target.value)}>
            <option value="">choose one</option>
            {[...new Set([...(personas.data?.items ?? []).map((item) => item.name), ...(persona ? [persona] : [])])].map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </>
      )}
      {partner === "instructions" && (
        <>
          <label htmlFor="chat-instructions">Instructions</label>
          <textarea id="chat-instructions" required rows={3} disabled={disabled} value={instructions} onChange={(event) => setInstructions(event.target.value)} />
        </>
      )}
      {partner === "workflow" && (
        <>
          <label htmlFor="chat-workflow">Chat workflow (takes message and history, gives answer)</label>
          <select id="chat-workflow" required disabled={disabled} value={workflow} onChange={(event) => setWorkflow(event.target.value)}>
            <option value="">choose one</option>
            {(workflows.data?.items ?? []).map((item) => (
              <option key={item.name}>{item.name}</option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="chat-title">Title (optional)</label>
      <input id="chat-title" disabled={disabled} value={title} onChange={(event) => setTitle(event.target.value)} />
      <button type="submit" className="primary" disabled={disabled || create.isPending}>
        Open chat
      </button>
      <ErrorNote error={personas.error ?? workflows.error ?? create.error} />
    </form>
  );
}

function Threads({ current, onOpen }: { current: string | null; onOpen: (id: string | null) => void }) {
  const client = useQueryClient();
  const chats = useQuery({
    queryKey: ["chats"],
    queryFn: () => unwrap(api.GET("/v1/chats", { params: { query: { limit: 100 } } })),
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/v1/chats/{chat_id}", { params: { path: { chat_id: id } } })),
    onSuccess: (_, id) => {
      void client.invalidateQueries({ queryKey: ["chats"] });
      if (id === current) onOpen(null);
    },
  });
  return (
    <nav aria-label="Your chats">
      <h2>Your chats</h2>
      <ErrorNote error={chats.error ?? remove.error} />
      {chats.data?.items.length === 0 && <p>No chats yet.</p>}
      <ul className="threads">
        {(chats.data?.items ?? []).map((chat) => (
          <li key={chat.id} className="row">
            <Link href={`/chat/?id=${encodeURIComponent(chat.id)}`} aria-current={chat.id === current ? "page" : undefined}>
              {chat.title}
            </Link>
            <span className="hint">
              {chat.messages} {chat.messages === 1 ? "message" : "messages"}
            </span>
            <button type="button" onClick={() => remove.mutate(chat.id)} disabled={remove.isPending} aria-label={`Delete chat ${chat.title}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Thread({ chatId }: { chatId: string }) {
  const client = useQueryClient();
  const [content, setContent] = useState("");
  const [streamed, setStreamed] = useState<ShownMessage[]>([]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const chat = useQuery({
    queryKey: ["chats", chatId],
    queryFn: () => unwrap(api.GET("/v1/chats/{chat_id}", { params: { path: { chat_id: chatId } } })),
  });
  const messages = useQuery({
    queryKey: ["chats", chatId, "messages"],
    queryFn: () =>
      unwrap(api.GET("/v1/chats/{chat_id}/messages", { params: { path: { chat_id: chatId }, query: { limit: 500 } } })),
    // A message answered elsewhere (before a reload, in another tab) is read until it settles.
    refetchInterval: (query) =>
      !sending && query.state.data?.items.some((item) => item.answer == null && item.error == null && !settled(item.state))
        ? 2000
        : false,
  });
  const thread = shownThread(messages.data?.items ?? [], streamed);

  async function send(event: FormEvent) {
    event.preventDefault();
    const text = content.trim();
    if (!text) return;
    setError(null);
    setSending(true);
    abort.current = new AbortController();
    try {
      await sendMessage({
        chatId,
        content: text,
        signal: abort.current.signal,
        onEvent: (sse) => {
          if (sse.event === "message") setContent("");
          setStreamed((current) => applyChatEvent(current, sse));
        },
      });
    } catch (failure) {
      if (!abort.current.signal.aborted) setError(failure);
    } finally {
      setSending(false);
      await client.invalidateQueries({ queryKey: ["chats"] });
    }
  }

  const busy = error instanceof ApiProblem && error.status === 409;
  return (
    <section className="stack chat-thread" aria-label="Thread">
      <ErrorNote error={chat.error ?? messages.error} />
      {chat.data && (
        <h2>
          {chat.data.title}{" "}
          <span className="hint">
            answered by <code>{chat.data.workflow.name}</code> v{chat.data.workflow.version}
          </span>
        </h2>
      )}
      <ol className="messages" aria-label="Messages">
        {thread.map(({ message, partial, live }) => (
          <li key={message.id} className="message" data-message={message.seq}>
            <p className="from-you">
              <span className="visually-hidden">You: </span>
              {message.content}
            </p>
            <div className="from-partner" aria-label={`Answer to message ${message.seq}`} data-live={live ? "true" : "false"} aria-busy={live}>
              {message.answer != null ? (
                <p className="answer">{message.answer}</p>
              ) : message.error ? (
                <p role="alert" className="error">
                  The run failed ({message.error.kind}): {message.error.message}
                </p>
              ) : (
                <p className="answer">{partial || "…"}</p>
              )}
            </div>
            <p className="row hint">
              <StateBadge state={live ? "running" : message.state} />
              <Link href={`/runs/view/?id=${encodeURIComponent(message.run_id)}`} aria-label={`Run of message ${message.seq}`}>
                run
              </Link>
            </p>
          </li>
        ))}
      </ol>
      {messages.data?.items.length === 0 && streamed.length === 0 && <p>No messages yet: say something.</p>}
      <form className="stack" onSubmit={send} aria-label="Send a message">
        <label htmlFor="chat-message">Message</label>
        <textarea
          id="chat-message"
          rows={3}
          required
          value={content}
          onChange={(event) => setContent(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
          }}
          aria-describedby="chat-message-hint"
        />
        <p id="chat-message-hint" className="hint">
          Ctrl+Enter sends. One message at a time: the next waits for this one&apos;s answer.
        </p>
        <div className="row">
          <button type="submit" className="primary" disabled={sending}>
            {sending ? "Answering…" : "Send"}
          </button>
          {sending && <span role="status">Answering…</span>}
        </div>
        <ErrorNote error={error} />
        {busy && <p className="hint">Your message is kept above: send it again once the answer has come.</p>}
      </form>
    </section>
  );
}

function settled(state: Schemas["RunState"]): boolean {
  return state === "succeeded" || state === "failed" || state === "cancelled";
}
