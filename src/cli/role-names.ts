// The serving roles by name, in start order. Kept apart from roles.ts so that operator
// commands (`photon quota get`, …) start without loading every component's server code;
// a test checks the two lists agree.
export const roleNames = [
  "chainfire",
  "flaredb-pd",
  "flaredb",
  "iam",
  "creditservice",
  "lightningstor",
  "coronafs-server",
  "coronafs",
  "plasmavmc",
  "plasmavmc-worker",
  "nightlight",
  "flashdns",
  "apigateway",
];
