// The layering rules of ARCHITECTURE.md, checked on every `npm test`:
// core is below every component, and components meet only through api.ts and client.ts.
const components =
  "chainfire|flaredb|iam|prismnet|flashdns|fiberlb|plasmavmc|coronafs|lightningstor|k8shost|apigateway|nightlight|creditservice|deployer|fleet-scheduler";
module.exports = {
  forbidden: [
    {
      name: "core-imports-no-component",
      comment: "src/core is the foundation: it must not import any component, the agent or the CLI.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: `^src/(${components}|agent|cli|console)/` },
    },
    {
      name: "components-meet-through-api-or-client",
      comment: "A component may import another component only through its api.ts or client.ts.",
      severity: "error",
      from: { path: `^src/(${components}|agent)/` },
      to: {
        path: `^src/(${components}|agent)/`,
        pathNot: [`^src/(${components}|agent)/(api|client)\\.ts$`, "^src/$1/"],
      },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "node_modules" },
  },
};
