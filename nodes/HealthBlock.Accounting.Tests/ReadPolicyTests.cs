using System.Net;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>
/// Issue 16 item 2 against a real node on loopback: every route of <see cref="LedgerRoutes.Policies"/> answers each
/// kind of caller what its policy says — anonymous, another patient, an ungranted doctor (refused where the policy
/// says so), the owner, the doctor the owner granted, an auditor (allowed where it says so) — and a read that is not
/// authentic, fresh and new is refused 401 and counted by reason.
/// </summary>
public sealed class ReadPolicyTests : IAsyncLifetime
{
    private readonly List<IdentityKey> _keys = [];
    private LocalCluster _cluster = null!;
    private AccountingNode _node = null!;
    private HttpClient _http = null!;
    private IdentityKey _owner = null!;
    private IdentityKey _other = null!;
    private IdentityKey _granted = null!;
    private IdentityKey _ungranted = null!;
    private IdentityKey _auditor = null!;
    private Transaction _grant = null!;

    private enum Expect
    {
        Allowed,
        Unauthenticated,
        Forbidden,
    }

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(1);
        _node = await _cluster.WaitForLeaderAsync(Helpers.Timeout);
        _http = new HttpClient(LedgerTls.PinnedHandler(_cluster.Genesis)) { BaseAddress = _node.HttpUrl };
        (_owner, _other, _granted, _ungranted, _auditor) = (Key(), Key(), Key(), Key(), Key());
        var admin = new TransactionSigner(_cluster.Admin, _cluster.Genesis.NetworkId);
        foreach (var (key, role) in new[] { (_owner, Role.Patient), (_other, Role.Patient), (_granted, Role.Doctor), (_ungranted, Role.Doctor), (_auditor, Role.Auditor) })
        {
            await Helpers.CommitAsync(_node, admin.Sign(RegisterPayload.For(key.Public, role, LedgerNames.RoleName(role))));
        }

        _grant = new TransactionSigner(_owner, _cluster.Genesis.NetworkId).Sign(Helpers.Keys(1, _granted));
        await Helpers.CommitAsync(_node, _grant);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
        _keys.ForEach(k => k.Dispose());
    }

    [Fact]
    public async Task Every_route_answers_each_caller_what_its_policy_says()
    {
        var samples = SamplePaths();
        Assert.Equal(LedgerRoutes.Policies.Keys.Order(StringComparer.Ordinal), samples.Keys.Order(StringComparer.Ordinal));
        foreach (var (route, policy) in LedgerRoutes.Policies)
        {
            if (policy.Access == RouteAccess.Submission)
            {
                // Not a read: no request signature; the transaction's own signature decides (a garbage body is malformed, not unauthenticated).
                using var garbage = new ByteArrayContent([0xff]);
                using var submitted = await _http.PostAsync(samples[route], garbage);
                Assert.Equal(HttpStatusCode.UnprocessableEntity, submitted.StatusCode);
                continue;
            }

            foreach (var (name, caller) in new (string, IdentityKey?)[] { ("anonymous", null), ("another patient", _other), ("an ungranted doctor", _ungranted), ("the owner", _owner), ("the granted doctor", _granted), ("an auditor", _auditor), ("the admin", _cluster.Admin), ("an accounting node", _cluster.NodeKey(0)) })
            {
                var expected = Expected(policy.Access, caller);
                var status = await StatusAsync(samples[route], caller);
                var want = expected switch { Expect.Allowed => HttpStatusCode.OK, Expect.Unauthenticated => HttpStatusCode.Unauthorized, _ => HttpStatusCode.Forbidden };
                Assert.True(status == want, $"{route} ({policy.Access}) as {name}: {(int)status}, expected {(int)want}");
            }
        }
    }

    [Fact]
    public async Task The_client_reads_as_its_caller_and_a_refusal_names_its_reason()
    {
        using var owner = new LedgerClient(_node.HttpUrl, _cluster.Genesis, _owner);
        using var stranger = new LedgerClient(_node.HttpUrl, _cluster.Genesis, _other);
        using var anonymous = new LedgerClient(_node.HttpUrl, _cluster.Genesis);

        Assert.Equal(1u, (await owner.GetPatientKeysAsync(_owner.Id))!.Epoch);
        Assert.Equal(RejectReason.Forbidden, (await Assert.ThrowsAsync<LedgerRejectedException>(() => stranger.GetPatientKeysAsync(_owner.Id))).Reason);
        Assert.Equal(RejectReason.Unauthenticated, (await Assert.ThrowsAsync<LedgerRejectedException>(() => anonymous.GetBalanceAsync(_owner.Id))).Reason);
        Assert.Equal(_cluster.Genesis.Hash, (await anonymous.GetGenesisAsync()).Hash);
    }

    [Fact]
    public async Task A_read_that_is_unsigned_stale_forged_replayed_or_from_an_unregistered_key_is_refused_and_counted()
    {
        var path = "/" + LedgerRoutes.IdentityPath(_owner.Id);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(path, []));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(path, LedgerRequestSignature.Scheme.Headers(_owner, "GET", path, now - (long)TimeSpan.FromMinutes(6).TotalMilliseconds, [])));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(path, LedgerRequestSignature.Scheme.Headers(_owner, "GET", path + "?other", now, [])));
        using var stranger = IdentityKey.Generate();
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(path, LedgerRequestSignature.Scheme.Headers(stranger, "GET", path, now, [])));

        var honest = LedgerRequestSignature.Scheme.Headers(_owner, "GET", path, now, []);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(path, honest));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(path, honest));

        var metrics = await _http.GetStringAsync("metrics");
        foreach (var reason in new[] { "Unsigned", "Stale", "BadSignature", "UnknownCaller", "Replayed" })
        {
            Assert.Contains(metrics.Split('\n'), line => line.StartsWith("healthblock_accounting_reads_refused", StringComparison.Ordinal) && line.Contains($"reason=\"{reason}\"", StringComparison.Ordinal));
        }
    }

    private Expect Expected(RouteAccess access, IdentityKey? caller)
    {
        if (access == RouteAccess.Public)
        {
            return Expect.Allowed;
        }

        if (caller is null)
        {
            return Expect.Unauthenticated;
        }

        var readsEverything = caller == _auditor || caller == _cluster.Admin || caller == _cluster.NodeKey(0);
        var allowed = access switch
        {
            RouteAccess.Directory => true,
            RouteAccess.Party or RouteAccess.TransactionParties => readsEverything || caller == _owner || caller == _granted,
            RouteAccess.Everything => readsEverything,
            _ => false,
        };
        return allowed ? Expect.Allowed : Expect.Forbidden;
    }

    /// <summary>A request of each route about the owner (its party, its grant transaction, the chain it is on).</summary>
    private Dictionary<string, string> SamplePaths() => new()
    {
        [LedgerRoutes.Transactions] = LedgerRoutes.TransactionsPath(),
        [LedgerRoutes.Transaction] = LedgerRoutes.TransactionPath(_grant.IdBytes),
        [LedgerRoutes.TransactionCommit] = LedgerRoutes.TransactionCommitPath(_grant.IdBytes, 0),
        [LedgerRoutes.Block] = LedgerRoutes.BlockPath(ChainId.Userchain, 0),
        [LedgerRoutes.BlockRange] = LedgerRoutes.BlockRangePath(ChainId.Userchain, 0, 1),
        [LedgerRoutes.ChainStream] = LedgerRoutes.ChainStreamPath(ChainId.Userchain, 0),
        [LedgerRoutes.Feed] = LedgerRoutes.FeedPath(ChainId.Userchain, 0),
        [LedgerRoutes.PartyTransactions] = LedgerRoutes.PartyTransactionsPath(_owner.Id, ChainId.Userchain, 0, 10),
        [LedgerRoutes.Identities] = LedgerRoutes.IdentitiesPath(null, null, 10),
        [LedgerRoutes.Identity] = LedgerRoutes.IdentityPath(_owner.Id),
        [LedgerRoutes.PatientKeys] = LedgerRoutes.PatientKeysPath(_owner.Id),
        [LedgerRoutes.LatestKeyTransaction] = LedgerRoutes.LatestKeyTransactionPath(_owner.Id),
        [LedgerRoutes.Balance] = LedgerRoutes.BalancePath(_owner.Id),
        [LedgerRoutes.Credit] = LedgerRoutes.CreditPath(_granted.Id, _owner.Id),
        [LedgerRoutes.Nonce] = LedgerRoutes.NoncePath(_owner.Id),
        [LedgerRoutes.Genesis] = LedgerRoutes.GenesisPath(),
        [LedgerRoutes.Status] = LedgerRoutes.StatusPath(),
    };

    private async Task<HttpStatusCode> StatusAsync(string relative, IdentityKey? caller)
    {
        var path = new Uri(_http.BaseAddress!, relative).PathAndQuery;
        return await SendAsync(path, caller is null ? [] : LedgerRequestSignature.Scheme.Headers(caller, "GET", path, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), []));
    }

    private async Task<HttpStatusCode> SendAsync(string pathAndQuery, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery.TrimStart('/'));
        foreach (var header in headers)
        {
            request.Headers.Add(header.Key, header.Value);
        }

        // Headers only: a chain stream that is allowed stays open.
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    private IdentityKey Key()
    {
        var key = IdentityKey.Generate();
        _keys.Add(key);
        return key;
    }
}
