// creditservice's REST routes: the resource routes of its kinds, and the reservation calls
// other services make before they create anything.
import { z } from "zod";
import { resourceRoutes } from "../core/api/resource-routes.ts";
import { type AnyRoute, defineRoute } from "../core/api/route.ts";
import { ApiError } from "../core/errors.ts";
import { projectSchema } from "../core/resource/model.ts";
import type { ResourceStore } from "../core/resource/store.ts";
import {
  creditRequestSchema,
  ledgerEntryKind,
  quotaKind,
  quotaName,
  quotaStatusSchema,
  rateCardKind,
  requestIdSchema,
  reservationResultSchema,
  reservationSchema,
  reserveRequestSchema,
  usageReleaseSchema,
} from "./api.ts";
import type { QuotaBook } from "./quota-book.ts";

const projectParams = z.strictObject({ project: projectSchema });
const reservationParams = z.strictObject({ project: projectSchema, id: requestIdSchema });
const tags = ["creditservice"];

export function creditRoutes(store: ResourceStore, book: QuotaBook): AnyRoute[] {
  return [
    ...resourceRoutes(quotaKind, store, {
      validate: (_spec, obj) => {
        if (obj.metadata.name !== quotaName) {
          throw new ApiError(
            "InvalidArgument",
            `a project has one quota, named "${quotaName}"; got "${obj.metadata.name}"`,
          );
        }
      },
    }),
    ...resourceRoutes(rateCardKind, store),
    // The ledger is append-only: it can be read, never written through the API.
    ...resourceRoutes(ledgerEntryKind, store).filter((r) => r.method === "GET"),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/reservations",
      summary: "Reserve quota before creating something (idempotent by requestId)",
      tags,
      params: projectParams,
      body: reserveRequestSchema,
      response: reservationResultSchema,
      successStatus: 201,
      permission: "creditservice.reservations.create",
      handler: ({ params, body }) => book.reserve(params.project, body),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/projects/{project}/reservations",
      summary: "List a project's pending reservations",
      tags,
      params: projectParams,
      response: z.object({ items: z.array(reservationSchema) }),
      permission: "creditservice.reservations.list",
      handler: async ({ params }) => {
        const q = await book.quota(params.project);
        const now = Date.now();
        return { items: q.status.reservations.filter((r) => Date.parse(r.expiresAt) > now) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/reservations/{id}/commit",
      summary: "Turn a reservation into usage once the resource exists (idempotent)",
      tags,
      params: reservationParams,
      response: reservationResultSchema,
      permission: "creditservice.reservations.update",
      handler: ({ params }) => book.commit(params.project, params.id),
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/projects/{project}/reservations/{id}",
      summary: "Release a reservation when the create failed (idempotent)",
      tags,
      params: reservationParams,
      response: reservationResultSchema,
      permission: "creditservice.reservations.delete",
      handler: ({ params }) => book.release(params.project, params.id),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/usage/release",
      summary: "Give back usage when a resource is deleted (idempotent by requestId)",
      tags,
      params: projectParams,
      body: usageReleaseSchema,
      response: quotaStatusSchema,
      permission: "creditservice.usage.update",
      handler: ({ params, body }) => book.releaseUsage(params.project, body.requestId, body.amounts),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/credits",
      summary: "Add credit to a project's balance (idempotent by requestId)",
      tags,
      params: projectParams,
      body: creditRequestSchema,
      response: quotaStatusSchema,
      permission: "creditservice.credits.create",
      handler: ({ params, body }) => book.credit(params.project, body),
    }),
  ];
}
