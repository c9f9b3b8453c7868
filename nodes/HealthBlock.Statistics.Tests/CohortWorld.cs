using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Statistics.Tests;

/// <summary>
/// An <see cref="InMemoryLedger"/> (the ledger rules without Raft or HTTP) with a statistics node whose 2048-bit key is
/// published, a doctor who asks, and patients who opt in and contribute one-minute periods of known counters.
/// </summary>
internal sealed class CohortWorld : IDisposable
{
    /// <summary>Patients opt in here; period 0 starts here.</summary>
    public const long T0 = 1_764_000_000_000;

    public const long PeriodMs = 60_000;

    /// <summary>One 2048-bit key for every test of the assembly (generating one takes seconds).</summary>
    internal static readonly Lazy<PaillierPrivateKey> SharedKey = new(() => PaillierPrivateKey.Generate(2048));
    private readonly IdentityKey _admin;
    private readonly IdentityKey _node;
    private readonly List<IdentityKey> _keys = [];
    private readonly Dictionary<IdentityId, TransactionSigner> _patients = [];

    private CohortWorld(InMemoryLedger ledger, IdentityKey admin, IdentityKey nodeKey)
    {
        Ledger = ledger;
        _admin = admin;
        _keys.Add(nodeKey);
        _node = IdentityKey.Generate();
        _keys.Add(_node);
        Network = TestNetwork.Of(ledger);
        Admin = new TransactionSigner(admin, Network);
        Doctor = IdentityKey.Generate();
        _keys.Add(Doctor);
        Node = new StatisticsNode(Key, new LedgerSubmitter(_node, Network, new MemoryNonceCounter(), ledger), ledger);
    }

    public static PaillierPrivateKey Key => SharedKey.Value;

    public InMemoryLedger Ledger { get; }

    public NetworkId Network { get; }

    public TransactionSigner Admin { get; }

    public IdentityKey Doctor { get; }

    public StatisticsNode Node { get; }

    public IdentityId Statistics => _node.Id;

    /// <summary>The patients, in the order they were added.</summary>
    public List<IdentityId> Patients { get; } = [];

    public static async Task<CohortWorld> StartAsync(uint? k = null)
    {
        var (genesis, admin, nodes) = GenesisKeys.Generate(1);
        var world = new CohortWorld(new InMemoryLedger(genesis, nodes[0]), admin, nodes[0]);
        await world.CommitAsync(world.Admin.Sign(RegisterPayload.For(world._node.Public, Role.Statistics, "statistics")));
        await world.CommitAsync(world.Admin.Sign(RegisterPayload.For(world.Doctor.Public, Role.Doctor, "doctor")));
        await world.Node.EnsureKeyPublishedAsync();
        if (k is { } policy)
        {
            await world.CommitAsync(world.Admin.Sign(new StatisticsPolicyPayload(world.Statistics, policy)));
        }

        return world;
    }

    /// <summary>Adds <paramref name="count"/> opted-in patients.</summary>
    public async Task<List<IdentityId>> AddPatientsAsync(int count)
    {
        var added = new List<IdentityId>();
        for (var i = 0; i < count; i++)
        {
            var key = IdentityKey.Generate();
            _keys.Add(key);
            var signer = new TransactionSigner(key, Network, time: new FixedClock(T0));
            await CommitAsync(Admin.Sign(RegisterPayload.For(key.Public, Role.Patient, "patient")));
            await CommitAsync(signer.Sign(new StatisticsConsentPayload(Statistics, true)));
            _patients[key.Id] = signer;
            Patients.Add(key.Id);
            added.Add(key.Id);
        }

        return added;
    }

    /// <summary>The patient contributes period <paramref name="period"/> with RR intervals of <paramref name="rrMs"/> each.</summary>
    public async Task ContributeAsync(IdentityId patient, int period, params long[] rrMs)
    {
        var row = new long[VitalSignsLayout.Slots.Count];
        row[(int)VitalSignSlot.RrIntervalCount] = rrMs.Length;
        row[(int)VitalSignSlot.RrIntervalSumMs] = rrMs.Sum();
        row[(int)VitalSignSlot.PatientPeriods] = 1;
        var ciphertext = Key.PublicKey.Encrypt(VitalSignsLayout.Create(modulusBits: 2048).Encode(row));
        var start = T0 + (period * PeriodMs);
        await CommitAsync(_patients[patient].Sign(new StatisticsContributionPayload(Statistics, start, start + PeriodMs, [PaillierCbor.Encode(ciphertext)])));
    }

    public async Task OptOutAsync(IdentityId patient)
    {
        var key = _keys.Single(k => k.Id == patient);
        var signer = new TransactionSigner(key, Network, await Ledger.GetNextNonceAsync(patient), new FixedClock(T0 + (100 * PeriodMs)));
        await CommitAsync(signer.Sign(new StatisticsConsentPayload(Statistics, false)));
    }

    /// <summary>The doctor's signed request over periods [0, <paramref name="periods"/>).</summary>
    public Task<CohortRequest> RequestAsync(IReadOnlyList<IdentityId>? patients, int periods = 1, string metric = CohortMetric.HeartRate, IdentityKey? requester = null) =>
        CohortRequester.PrepareAsync(Ledger, Statistics, requester ?? Doctor, metric, T0, T0 + (periods * PeriodMs), patients);

    /// <summary>Every decryption record committed, in ledger order.</summary>
    public async Task<List<StatisticsDecryptionPayload>> RecordsAsync() =>
        [.. (await Ledger.GetTransactionsForAsync(Statistics, ChainId.Userchain, 0, 10_000))
            .Where(t => t.Transaction.Body.Signer == Statistics).Select(t => t.Transaction.Body.Payload).OfType<StatisticsDecryptionPayload>()];

    public async Task CommitAsync(Transaction tx) => await Ledger.SubmitAndWaitAsync(tx, TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        Node.Dispose();
        Ledger.Dispose();
        _admin.Dispose();
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}

/// <summary>A clock stopped at one time.</summary>
internal sealed class FixedClock(long ms) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
