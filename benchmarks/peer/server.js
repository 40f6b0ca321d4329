// The peer of benchmarks/peer_bench.py: the official Neo4j GraphQL Library (@neo4j/graphql 7) on
// Apollo Server's standalone HTTP server, over the Neo4j that the benchmark started and loaded
// with Tejido's data. The type definitions cover only what the two benchmark questions ask:
// no access control, as the library gives none without extra rules.
//
//   NEO4J_URI=bolt://127.0.0.1:7687 PORT=4000 node server.js
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const typeDefs = `#graphql
  type Actor @node {
    id: ID!
    name: String
    colludesWith: [Actor!]! @relationship(type: "COLLUDES_WITH", direction: OUT)
    controls: [Territory!]! @relationship(type: "CONTROLS", direction: OUT)
    perpetrated: [Incident!]! @relationship(type: "PERPETRATED_BY", direction: IN)
  }
  type Territory @node {
    id: ID!
    name: String
  }
  type Incident @node {
    id: ID!
    name: String
    targeted: [Defender!]! @relationship(type: "TARGETED", direction: OUT)
  }
  type Defender @node {
    id: ID!
    name: String
  }
`;

const auth = process.env.NEO4J_USER
  ? neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD ?? "")
  : undefined;
const driver = neo4j.driver(process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687", auth);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
// No CSRF preflight check: the benchmark asks with POST + JSON, and waits for the server with a
// plain GET of `{ __typename }`.
const server = new ApolloServer({ schema, csrfPrevention: false });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(process.env.PORT ?? 4000) },
});
console.log(`peer listening at ${url}`);

const stop = async () => {
  await server.stop();
  await driver.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
