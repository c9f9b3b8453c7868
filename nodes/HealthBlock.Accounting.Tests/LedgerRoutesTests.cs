using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace HealthBlock.Accounting.Tests;

/// <summary>The node maps exactly the routes <see cref="LedgerRoutes"/> names, and every path the client builds matches its template.</summary>
public sealed class LedgerRoutesTests
{
    [Fact]
    public async Task The_node_maps_every_route_of_LedgerRoutes_and_no_other()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        var node = cluster.Nodes[0]!;
        using var key = HealthBlock.Crypto.IdentityKey.Generate();
        using var certificate = HealthBlock.Crypto.Tls.IdentityCertificates.Create(key);
        await using var app = new LedgerHttpApi(node, new AccountingOptions { DataDirectory = Path.GetTempPath() }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new HttpIntake(new HttpLimits(), new HealthBlock.Alerts.LimitAlerts(node.Alerts, "test")), certificate, CancellationToken.None).Build();

        var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).Order();

        Assert.Equal(LedgerRoutes.All.Concat(HealthBlock.Hosting.ServiceEndpoints.Routes).Append(LedgerRoutes.OpenApi).Order(), mapped);
    }

    [Fact]
    public async Task The_served_OpenAPI_document_lists_exactly_the_routes_of_LedgerRoutes_with_their_methods()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        using var http = new HttpClient(LedgerTls.PinnedHandler(cluster.Genesis)) { BaseAddress = cluster.Nodes[0]!.HttpUrl };

        using var document = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("openapi/" + LedgerRoutes.OpenApiDocumentName + ".json"));

        var paths = document.RootElement.GetProperty("paths");
        Assert.Equal(LedgerRoutes.All.Order(StringComparer.Ordinal), paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(paths.GetProperty(LedgerRoutes.Transactions).TryGetProperty("post", out _));
        Assert.True(paths.GetProperty(LedgerRoutes.Identities).TryGetProperty("get", out var list));
        Assert.Contains(list.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == LedgerRoutes.RoleQuery);
        Assert.Equal("HealthBlock ledger API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public void Every_path_builder_fills_its_template()
    {
        using var key = IdentityKey.Generate();
        var id = new byte[32];
        id[5] = 0xab;
        (string Template, string Path, Dictionary<string, string> Values)[] cases =
        [
            (LedgerRoutes.Transactions, LedgerRoutes.TransactionsPath(), []),
            (LedgerRoutes.Transaction, LedgerRoutes.TransactionPath(id), new() { ["id"] = Convert.ToHexStringLower(id) }),
            (LedgerRoutes.TransactionCommit, LedgerRoutes.TransactionCommitPath(id, 250), new() { ["id"] = Convert.ToHexStringLower(id) }),
            (LedgerRoutes.Block, LedgerRoutes.BlockPath(ChainId.Docchain, 7), new() { ["chain"] = "docchain", ["height"] = "7" }),
            (LedgerRoutes.BlockRange, LedgerRoutes.BlockRangePath(ChainId.Userchain, 4, 9), new() { ["chain"] = "userchain" }),
            (LedgerRoutes.ChainStream, LedgerRoutes.ChainStreamPath(ChainId.Userchain, 3), new() { ["chain"] = "userchain" }),
            (LedgerRoutes.Feed, LedgerRoutes.FeedPath(ChainId.Docchain, 4), new() { ["chain"] = "docchain" }),
            (LedgerRoutes.PartyTransactions, LedgerRoutes.PartyTransactionsPath(key.Id, ChainId.Docchain, 2, 50), new() { ["id"] = key.Id.ToString() }),
            (LedgerRoutes.Identities, LedgerRoutes.IdentitiesPath(Role.Doctor, key.Id, 5), []),
            (LedgerRoutes.Identity, LedgerRoutes.IdentityPath(key.Id), new() { ["id"] = key.Id.ToString() }),
            (LedgerRoutes.PatientKeys, LedgerRoutes.PatientKeysPath(key.Id), new() { ["id"] = key.Id.ToString() }),
            (LedgerRoutes.LatestKeyTransaction, LedgerRoutes.LatestKeyTransactionPath(key.Id), new() { ["id"] = key.Id.ToString() }),
            (LedgerRoutes.Balance, LedgerRoutes.BalancePath(key.Id), new() { ["id"] = key.Id.ToString() }),
            (LedgerRoutes.Credit, LedgerRoutes.CreditPath(key.Id, key.Id), new() { ["doctor"] = key.Id.ToString(), ["patient"] = key.Id.ToString() }),
            (LedgerRoutes.Nonce, LedgerRoutes.NoncePath(key.Id), new() { ["id"] = key.Id.ToString() }),
            (LedgerRoutes.Genesis, LedgerRoutes.GenesisPath(), []),
            (LedgerRoutes.Status, LedgerRoutes.StatusPath(), []),
        ];

        Assert.Equal(LedgerRoutes.All.Order(), cases.Select(c => c.Template).Order());
        foreach (var (template, path, values) in cases)
        {
            var matcher = new TemplateMatcher(TemplateParser.Parse(template), []);
            var uri = new Uri(new Uri("http://node/"), path);
            var found = new Microsoft.AspNetCore.Routing.RouteValueDictionary();
            Assert.True(matcher.TryMatch(uri.AbsolutePath, found), $"{path} does not match {template}");
            Assert.Equal(values.OrderBy(v => v.Key), found.Select(v => KeyValuePair.Create(v.Key, (string)v.Value!)).OrderBy(v => v.Key));
        }

        Assert.EndsWith("?timeoutMs=250", LedgerRoutes.TransactionCommitPath(id, 250), StringComparison.Ordinal);
        Assert.EndsWith("?from=4&to=9", LedgerRoutes.BlockRangePath(ChainId.Userchain, 4, 9), StringComparison.Ordinal);
        Assert.EndsWith("?from=3", LedgerRoutes.ChainStreamPath(ChainId.Userchain, 3), StringComparison.Ordinal);
        Assert.EndsWith($"?role=doctor&after={key.Id}&limit=5", LedgerRoutes.IdentitiesPath(Role.Doctor, key.Id, 5), StringComparison.Ordinal);
        Assert.EndsWith("?chain=docchain&from=2&limit=50", LedgerRoutes.PartyTransactionsPath(key.Id, ChainId.Docchain, 2, 50), StringComparison.Ordinal);
    }
}
