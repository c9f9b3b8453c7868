using HealthBlock.Devnet;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>A single-node ledger shared by the tests of one class.</summary>
public sealed class SingleNodeFixture : IAsyncLifetime
{
    public LocalCluster Cluster { get; private set; } = null!;

    public AccountingNode Node => Cluster.Nodes[0]!;

    public async Task InitializeAsync() => Cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { DiagnosisFee = 10 });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// The one conformance suite of <see cref="ILedger"/>: every implementation (the in-process node, the HTTP client)
/// runs it. Each test makes its own identities, so tests share a ledger safely.
/// </summary>
public abstract class LedgerConformanceTests : IDisposable
{
    private readonly List<IdentityKey> _keys = [];

    /// <summary>The ledger under test.</summary>
    protected abstract ILedger Ledger { get; }

    /// <summary>The genesis admin of that ledger.</summary>
    protected abstract IdentityKey Admin { get; }

    public virtual void Dispose()
    {
        foreach (var k in _keys)
        {
            k.Dispose();
        }
    }

    private async Task<TransactionSigner> AdminAsync() =>
        new(Admin, TestNetwork.Of(Ledger), await Ledger.GetNextNonceAsync(Admin.Id));

    private static readonly SemaphoreSlim AdminLock = new(1, 1);

    private async Task<(IdentityKey Key, TransactionSigner Signer)> PatientAsync(ulong balance)
    {
        var k = Keep(IdentityKey.Generate());
        var s = new TransactionSigner(k, TestNetwork.Of(Ledger));
        await AsAdminAsync(a => a.Sign(RegisterPayload.For(k.Public, Role.Patient, "patient")));
        if (balance > 0)
        {
            await AsAdminAsync(a => a.Sign(new IssuePayload(k.Id, balance)));
        }

        return (k, s);
    }

    private async Task<(IdentityKey Key, TransactionSigner Signer)> DoctorAsync()
    {
        var k = Keep(IdentityKey.Generate());
        await AsAdminAsync(a => a.Sign(RegisterPayload.For(k.Public, Role.Doctor, "doctor")));
        return (k, new TransactionSigner(k, TestNetwork.Of(Ledger)));
    }

    private async Task AsAdminAsync(Func<TransactionSigner, Transaction> make)
    {
        await AdminLock.WaitAsync();
        try
        {
            await Helpers.CommitAsync(Ledger, make(await AdminAsync()));
        }
        finally
        {
            AdminLock.Release();
        }
    }

    private IdentityKey Keep(IdentityKey k)
    {
        _keys.Add(k);
        return k;
    }

    [Fact]
    public async Task Submitted_transactions_commit_and_are_found_with_a_valid_inclusion_proof()
    {
        var (patient, ps) = await PatientAsync(0);
        var iot = ps.Sign(Helpers.Iot(0, 1));
        var location = await Ledger.SubmitAndWaitAsync(iot, Helpers.Timeout);
        Assert.Equal(ChainId.Userchain, location.Chain);

        var found = await Ledger.GetTransactionAsync(iot.IdBytes);
        Assert.NotNull(found);
        Assert.Equal(location, found.Location);
        Assert.Equal(iot.IdHex, found.Transaction.IdHex);
        Assert.True(found.VerifyInclusion());

        var block = await Ledger.GetBlockAsync(ChainId.Userchain, location.Height);
        Assert.NotNull(block);
        Assert.Equal(block.Hash, found.BlockHash);
        Assert.Equal(iot.IdHex, block.Transactions[location.Index].IdHex);
        Assert.Null(await Ledger.GetBlockAsync(ChainId.Userchain, 1_000_000));
        Assert.Null(await Ledger.GetTransactionAsync(new byte[32]));
        Assert.Equal(2UL, await Ledger.GetNextNonceAsync(patient.Id)); // one IoT transaction (the admin registered the patient)
    }

    [Fact]
    public async Task Rejections_carry_a_reason_code_and_a_message()
    {
        var (_, ds) = await DoctorAsync();
        var result = await Ledger.SubmitAsync(ds.Sign(Helpers.Iot(0, 0)));
        Assert.False(result.Accepted);
        Assert.Equal(RejectReason.WrongRole, result.Reason);
        Assert.False(string.IsNullOrEmpty(result.Message));

        var stranger = new TransactionSigner(Keep(IdentityKey.Generate()), TestNetwork.Of(Ledger));
        Assert.Equal(RejectReason.UnknownSigner, (await Ledger.SubmitAsync(stranger.Sign(Helpers.Iot(0, 0)))).Reason);
        await Assert.ThrowsAsync<LedgerRejectedException>(() => Ledger.WaitForCommitAsync(new byte[32], TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task State_queries_follow_keys_payments_and_diagnoses()
    {
        var (patient, ps) = await PatientAsync(100);
        var (doctor, ds) = await DoctorAsync();
        var key = ps.Sign(Helpers.Keys(1, doctor));
        await Helpers.CommitAsync(Ledger, key);
        await Helpers.CommitAsync(Ledger, ps.Sign(new PaymentPayload(doctor.Id, 25)));
        var iot = ps.Sign(Helpers.Iot(1, 0));
        await Helpers.CommitAsync(Ledger, iot);
        var diagnosis = ds.Sign(Helpers.Diagnosis(patient.Id, 1, iot));
        var where = await Helpers.CommitAsync(Ledger, diagnosis);
        Assert.Equal(ChainId.Docchain, where.Chain);

        Assert.Equal(75UL, await Ledger.GetBalanceAsync(patient.Id));
        Assert.Equal(15UL, await Ledger.GetCreditAsync(doctor.Id, patient.Id));
        Assert.Equal(10UL, await Ledger.GetBalanceAsync(doctor.Id));
        var keys = await Ledger.GetPatientKeysAsync(patient.Id);
        Assert.NotNull(keys);
        Assert.Equal(1U, keys.Epoch);
        Assert.Equal([doctor.Id], keys.Doctors);
        Assert.Equal(0UL, keys.LastBatch);
        var latest = await Ledger.GetLatestKeyTransactionAsync(patient.Id);
        Assert.Equal(key.IdHex, latest?.Transaction.IdHex);
        Assert.True(latest!.VerifyInclusion());
        Assert.Null(await Ledger.GetPatientKeysAsync(doctor.Id));

        var identity = await Ledger.GetIdentityAsync(doctor.Id);
        Assert.Equal(Role.Doctor, identity?.Role);
        Assert.Equal(doctor.Public.SigningKey.ToArray(), identity!.Keys.SigningKey.ToArray());
        Assert.Equal(Admin.Id, identity.RegisteredBy);
        Assert.Null(await Ledger.GetIdentityAsync(Keep(IdentityKey.Generate()).Id));

        var forDoctor = await Ledger.GetTransactionsForAsync(doctor.Id, ChainId.Docchain, 0);
        Assert.Equal([diagnosis.IdHex], forDoctor.Select(t => t.Transaction.IdHex));
        var forPatient = await Ledger.GetTransactionsForAsync(patient.Id, ChainId.Userchain, 0);
        Assert.Contains(forPatient, t => t.Transaction.IdHex == iot.IdHex);
        Assert.Empty(await Ledger.GetTransactionsForAsync(patient.Id, ChainId.Userchain, where.Height + 1_000));
    }

    [Fact]
    public async Task Subscription_yields_every_block_from_the_height_then_new_ones()
    {
        var (_, ps) = await PatientAsync(0);
        await Helpers.CommitAsync(Ledger, ps.Sign(Helpers.Iot(0, 0)));
        var height = (await Ledger.GetStatusAsync()).BlockCount(ChainId.Userchain);
        using var cts = new CancellationTokenSource(Helpers.Timeout);
        var later = ps.Sign(Helpers.Iot(0, 1));
        var seen = new List<Block>();
        var submitted = false;
        await foreach (var block in Ledger.SubscribeAsync(ChainId.Userchain, 0, cts.Token))
        {
            Assert.Equal((ulong)seen.Count, block.Header.Height);
            seen.Add(block);
            if (!submitted && (ulong)seen.Count == height)
            {
                submitted = true;
                Assert.True((await Ledger.SubmitAsync(later)).Accepted);
            }

            if (block.Transactions.Any(t => t.IdHex == later.IdHex))
            {
                break;
            }
        }

        Assert.True((ulong)seen.Count > height);
    }

    [Fact]
    public async Task Status_reports_leader_heights_and_state_hash_and_the_audit_passes()
    {
        var (_, ps) = await PatientAsync(0);
        await Helpers.CommitAsync(Ledger, ps.Sign(Helpers.Iot(0, 0)));
        var status = await Ledger.GetStatusAsync();
        Assert.Equal("leader", status.Role);
        Assert.Equal(64, status.StateHash.Length);
        Assert.True(status.BlockCount(ChainId.Userchain) > 0);
        Assert.Equal(10UL, status.DiagnosisFee);
        Assert.Equal(0, status.RejectedBlocks);
        Assert.Equal(Convert.ToHexStringLower((await Ledger.GetGenesisAsync()).Hash), status.GenesisHash);

        var report = await LedgerAudit.RunAsync(Ledger);
        Assert.True(report.Ok, report.Message);
        Assert.True(report.UserchainBlocks > 0);
    }
    [Fact]
    public async Task Identities_are_listed_by_role_in_id_order_and_paged_from_the_last_id()
    {
        var (d1, _) = await DoctorAsync();
        var (d2, _) = await DoctorAsync();
        var (patient, _) = await PatientAsync(0);

        var doctors = await ListAllAsync(Role.Doctor);
        Assert.Contains(doctors, i => i.Id == d1.Id && i.Name == "doctor" && i.RegisteredBy == Admin.Id);
        Assert.Contains(doctors, i => i.Id == d2.Id);
        Assert.DoesNotContain(doctors, i => i.Id == patient.Id);
        Assert.All(doctors, i => Assert.Equal(Role.Doctor, i.Role));
        Assert.Equal(doctors.Select(i => i.Id.ToString()).Order(StringComparer.Ordinal), doctors.Select(i => i.Id.ToString()));

        var everyone = await ListAllAsync(null);
        Assert.Contains(everyone, i => i.Id == patient.Id && i.Role == Role.Patient);
        Assert.Contains(everyone, i => i.Id == Admin.Id && i.Role == Role.Admin && i.RegisteredBy is null);
        Assert.Equal(everyone.Count, everyone.Select(i => i.Id).Distinct().Count());
    }

    /// <summary>Every identity of a role, two at a time, so the paging is exercised.</summary>
    private async Task<List<IdentityRecord>> ListAllAsync(Role? role)
    {
        var all = new List<IdentityRecord>();
        IdentityId? after = null;
        while (true)
        {
            var page = await Ledger.GetIdentitiesAsync(role, after, limit: 2);
            Assert.InRange(page.Count, 0, 2);
            all.AddRange(page);
            if (page.Count < 2)
            {
                return all;
            }

            after = page[^1].Id;
        }
    }
}

[Collection("ledger")]
public sealed class InProcessLedgerTests(SingleNodeFixture fixture) : LedgerConformanceTests, IClassFixture<SingleNodeFixture>
{
    protected override ILedger Ledger => fixture.Node;

    protected override IdentityKey Admin => fixture.Cluster.Admin;
}

[Collection("ledger")]
public sealed class HttpLedgerTests : LedgerConformanceTests, IClassFixture<SingleNodeFixture>
{
    private readonly LedgerClient _client;
    private readonly SingleNodeFixture _fixture;

    public HttpLedgerTests(SingleNodeFixture fixture)
    {
        _fixture = fixture;
        _client = new LedgerClient(fixture.Node.HttpUrl, fixture.Node.Genesis, fixture.Cluster.Admin);
    }

    protected override ILedger Ledger => _client;

    protected override IdentityKey Admin => _fixture.Cluster.Admin;

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }
}

/// <summary>An in-memory ledger shared by the tests of one class.</summary>
public sealed class InMemoryLedgerFixture : IDisposable
{
    private readonly IdentityKey[] _nodes;

    public InMemoryLedgerFixture()
    {
        (var genesis, Admin, _nodes) = GenesisKeys.Generate(1, diagnosisFee: 10);
        Ledger = new InMemoryLedger(genesis, _nodes[0]);
    }

    public InMemoryLedger Ledger { get; }

    public IdentityKey Admin { get; }

    public void Dispose()
    {
        Ledger.Dispose();
        Admin.Dispose();
        _nodes[0].Dispose();
    }
}

/// <summary>The same suite through a client given a dead node first: every request fails over to the live one.</summary>
[Collection("ledger")]
public sealed class FailoverHttpLedgerTests : LedgerConformanceTests, IClassFixture<SingleNodeFixture>
{
    private readonly ClosedPort _dead = new();
    private readonly LedgerClient _client;
    private readonly SingleNodeFixture _fixture;

    public FailoverHttpLedgerTests(SingleNodeFixture fixture)
    {
        _fixture = fixture;
        _client = new LedgerClient([new Uri($"http://127.0.0.1:{_dead.Port}/"), fixture.Node.HttpUrl], fixture.Cluster.Admin);
    }

    protected override ILedger Ledger => _client;

    protected override IdentityKey Admin => _fixture.Cluster.Admin;

    [Fact]
    public async Task A_ledger_none_of_whose_nodes_answers_is_named_with_every_url_tried()
    {
        using var other = new ClosedPort();
        using var client = new LedgerClient([new Uri($"http://127.0.0.1:{_dead.Port}/"), new Uri($"http://127.0.0.1:{other.Port}/")]);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStatusAsync());

        Assert.StartsWith($"the ledger could not be reached (accounting nodes http://127.0.0.1:{_dead.Port}/, http://127.0.0.1:{other.Port}/): ", e.Message, StringComparison.Ordinal);
    }

    public override void Dispose()
    {
        _client.Dispose();
        _dead.Dispose();
        base.Dispose();
    }
}

public sealed class InMemoryLedgerTests(InMemoryLedgerFixture fixture) : LedgerConformanceTests, IClassFixture<InMemoryLedgerFixture>
{
    protected override ILedger Ledger => fixture.Ledger;

    protected override IdentityKey Admin => fixture.Admin;
}
