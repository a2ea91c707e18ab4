// etcdserverpb.Cluster. The member list is replicated state; each change is recorded there and
// made in Raft (voter, learner, promotion, removal). A single member without Raft only records.
import { randomBytes } from "node:crypto";
import { etcdErrors } from "../etcd-errors.ts";
import type { Member } from "../mvcc/types.ts";
import { memberIdFor } from "../replication.ts";
import { fromMember, type Msg } from "./codec.ts";
import { header, type ServiceContext, unary } from "./context.ts";
import type { ServiceImpl } from "./method.ts";

export function newMemberId(): string {
  // uint64 without the zero value, which etcd reserves for "none".
  return (randomBytes(8).readBigUInt64BE() | 1n).toString();
}

function validUrls(urls: unknown): string[] {
  if (!Array.isArray(urls) || urls.length === 0) throw etcdErrors.memberBadURLs();
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(String(u));
    } catch {
      throw etcdErrors.memberBadURLs();
    }
    if (
      !["http:", "https:", "unix:", "unixs:"].includes(parsed.protocol) ||
      (!parsed.port && parsed.protocol.startsWith("http"))
    ) {
      throw etcdErrors.memberBadURLs();
    }
  }
  return urls.map(String);
}

/** uint64 ids arrive as decimal strings; "0" and junk are not members. */
function memberId(x: unknown): string {
  const s = String(x ?? "0");
  if (!/^\d+$/.test(s) || s === "0") throw etcdErrors.memberNotFound();
  return BigInt(s).toString();
}

export function clusterService(ctx: ServiceContext): ServiceImpl {
  const { store } = ctx;
  const list = (members: Member[]) =>
    members.map((m) =>
      fromMember(m.id === store.identity.memberId ? { ...m, clientURLs: ctx.clientURLs() } : m),
    );
  return {
    MemberList: unary(ctx, async () =>
      store.read((s) => ({ header: header(ctx, s.revision), members: list(s.memberList()) })),
    ),
    MemberAdd: unary(ctx, async (m: Msg) => {
      const peerURLs = validUrls(m.peerURLs);
      // The id comes from the peer URL, so the joining member derives the same one itself.
      const member: Member = {
        id: memberIdFor(peerURLs[0]!),
        name: "",
        peerURLs,
        clientURLs: [],
        isLearner: !!m.isLearner,
      };
      const { result, revision } = await store.propose({ op: "memberAdd", member });
      await ctx.membership?.(member.isLearner ? "addLearner" : "addVoter", member.id);
      const members = result.op === "member" ? result.members : [];
      return { header: header(ctx, revision), member: fromMember(member), members: list(members) };
    }),
    MemberRemove: unary(ctx, async (m: Msg) => {
      const id = memberId(m.ID);
      const { result, revision } = await store.propose({ op: "memberRemove", id });
      await ctx.membership?.("removeNode", id);
      return { header: header(ctx, revision), members: list(result.op === "member" ? result.members : []) };
    }),
    MemberUpdate: unary(ctx, async (m: Msg) => {
      const cmd = { op: "memberUpdate" as const, id: memberId(m.ID), peerURLs: validUrls(m.peerURLs) };
      const { result, revision } = await store.propose(cmd);
      return { header: header(ctx, revision), members: list(result.op === "member" ? result.members : []) };
    }),
    MemberPromote: unary(ctx, async (m: Msg) => {
      const id = memberId(m.ID);
      const member = store.view.memberList().find((x) => x.id === id);
      if (!member) throw etcdErrors.memberNotFound();
      if (!member.isLearner) throw etcdErrors.memberNotLearner();
      if (!ctx.membership) throw etcdErrors.notCapable();
      // Raft first (the leader refuses a learner that is not caught up), then the member list.
      await ctx.membership("promoteLearner", id);
      const { result, revision } = await store.propose({ op: "memberPromote", id });
      return { header: header(ctx, revision), members: list(result.op === "member" ? result.members : []) };
    }),
  };
}
