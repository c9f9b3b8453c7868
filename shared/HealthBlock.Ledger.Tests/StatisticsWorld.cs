using System.Formats.Cbor;
using System.Numerics;
using HealthBlock.Crypto;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

/// <summary>
/// A <see cref="World"/> with a statistics identity whose key is published and patients whose signers run on a clock the
/// test sets (consent and contribution rules compare signed times with periods).
/// </summary>
internal sealed class StatisticsWorld : IDisposable
{
    /// <summary>Opt-ins are signed at this time; the first period starts here.</summary>
    public const long OptInMs = 1_000_000;

    /// <summary>One minute, the period the tests contribute.</summary>
    public const long PeriodMs = 60_000;

    private static readonly Lazy<PaillierPrivateKey> SharedKey = new(() => PaillierPrivateKey.Generate(2048));
    private static readonly Lazy<PaillierPrivateKey> SharedOtherKey = new(() => PaillierPrivateKey.Generate(2048));

    public StatisticsWorld()
    {
        W = new World();
        var key = W.Keep(IdentityKey.Generate());
        StatisticsSigner = new TransactionSigner(key, W.Network, time: Clock);
        Commit(W.AdminSigner.Sign(RegisterPayload.For(key.Public, Role.Statistics, "statistics")));
        Commit(StatisticsSigner.Sign(new StatisticsKeyPayload(PaillierCbor.Encode(Key.PublicKey))));
    }

    public static PaillierPrivateKey Key => SharedKey.Value;

    public static PaillierPrivateKey OtherKey => SharedOtherKey.Value;

    public World W { get; }

    public ManualClock Clock { get; } = new(OptInMs);

    public TransactionSigner StatisticsSigner { get; }

    public IdentityId Statistics => StatisticsSigner.Id;

    public LedgerState State => W.State;

    public RejectReason Reason(Transaction tx) => State.Validate(tx)?.Reason ?? RejectReason.None;

    /// <summary>Every block committed so far, in order.</summary>
    public List<Block> Blocks { get; } = [];

    public void Commit(params Transaction[] txs) => Blocks.Add(W.Commit(txs));

    /// <summary>A registered patient whose signer reads <see cref="Clock"/>; opted in at <see cref="OptInMs"/> when asked.</summary>
    public TransactionSigner Patient(bool optIn = true)
    {
        var key = W.Keep(IdentityKey.Generate());
        var signer = new TransactionSigner(key, W.Network, time: Clock);
        Commit(W.AdminSigner.Sign(RegisterPayload.For(key.Public, Role.Patient, "patient")));
        if (optIn)
        {
            Clock.Set(OptInMs);
            Commit(signer.Sign(new StatisticsConsentPayload(Statistics, true)));
        }

        return signer;
    }

    /// <summary>A registered doctor's signer.</summary>
    public TransactionSigner Doctor()
    {
        var key = W.Keep(IdentityKey.Generate());
        Commit(W.AdminSigner.Sign(RegisterPayload.For(key.Public, Role.Doctor, "doctor")));
        return new TransactionSigner(key, W.Network, time: Clock);
    }

    /// <summary>A contribution of period number <paramref name="period"/> (from <see cref="OptInMs"/>) with a valid ciphertext.</summary>
    public static StatisticsContributionPayload Contribution(IdentityId statistics, int period, long value = 1) =>
        Contribution(statistics, period, PaillierCbor.Encode(Key.PublicKey.Encrypt(value)));

    public static StatisticsContributionPayload Contribution(IdentityId statistics, int period, byte[] ciphertext) =>
        new(statistics, OptInMs + (period * PeriodMs), OptInMs + ((period + 1) * PeriodMs), [ciphertext]);

    /// <summary>A ciphertext encoding with any fingerprint and any value, valid or not.</summary>
    public static byte[] RawCiphertext(ReadOnlySpan<byte> fingerprint, BigInteger value)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(3);
        w.WriteUInt32(0);
        w.WriteUInt32(3);
        w.WriteUInt32(4);
        w.WriteByteString(fingerprint);
        w.WriteUInt32(5);
        w.WriteByteString(value.ToByteArray(isUnsigned: true, isBigEndian: true));
        w.WriteEndMap();
        return w.Encode();
    }

    public void Dispose() => W.Dispose();
}

/// <summary>A clock the test sets.</summary>
internal sealed class ManualClock(long nowMs) : TimeProvider
{
    private long _nowMs = nowMs;

    public void Set(long ms) => _nowMs = ms;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(_nowMs);
}
