// Drives an HBR endpoint with Alibaba's Node.js RPC client (@alicloud/pop-core), unchanged.
//
// Usage: node pop_core.js ENDPOINT(http://host:port) ACCESS_KEY_ID ACCESS_KEY_SECRET GET|POST
//
// With GET the client puts every parameter, Signature included, in the URL query; with POST
// it puts them all in the form body and sends an empty query. Prints one JSON object with what
// it saw: two pages of DescribeRestoreJobs2, a filtered listing, a vault created and then
// listed, an error, and what a wrong secret gets.
'use strict';

const RPCClient = require('@alicloud/pop-core').RPCClient;

async function main() {
  const [endpoint, accessKeyId, accessKeySecret, method] = process.argv.slice(2, 6);
  const connect = (secret) => new RPCClient({
    accessKeyId,
    accessKeySecret: secret,
    endpoint,
    apiVersion: '2017-09-08',
  });
  const client = connect(accessKeySecret);
  const opts = { method, timeout: 10000 };
  const call = (c, action, params) => c.request(action, params, opts);
  const failure = async (c, action, params) => {
    try {
      await call(c, action, params);
      return null;
    } catch (e) {
      return { code: e.code || null, status: e.entry ? e.entry.response.statusCode : null };
    }
  };

  const pages = [];
  for (const n of [1, 2]) {
    pages.push(await call(client, 'DescribeRestoreJobs2', { PageNumber: n, PageSize: 5 }));
  }
  const failed = await call(client, 'DescribeRestoreJobs2', {
    PageSize: 99,
    Filters: [{ Key: 'Status', Operator: 'IN', Values: ['FAILED'] }],
  });
  const created = await call(client, 'CreateVault', {
    VaultRegionId: 'cn-hangzhou',
    VaultName: `node ${method} ü/*`,
  });
  const listed = await call(client, 'DescribeVaults', { VaultId: created.VaultId });

  const ids = (page) => page.RestoreJobs.RestoreJob.map((j) => j.RestoreId);
  console.log(JSON.stringify({
    pages: pages.map(ids),
    total: Number(pages[0].TotalCount),
    failed_total: Number(failed.TotalCount),
    failed_statuses: [...new Set(failed.RestoreJobs.RestoreJob.map((j) => j.Status))].sort(),
    vault_id: created.VaultId,
    vaults: listed.Vaults.Vault.map((v) => ({ VaultId: v.VaultId, VaultName: v.VaultName })),
    error: await failure(client, 'DescribeRestoreJobs2', { PageSize: 500 }),
    wrong_secret: await failure(connect('not-the-secret'), 'DescribeVaults', {}),
  }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
