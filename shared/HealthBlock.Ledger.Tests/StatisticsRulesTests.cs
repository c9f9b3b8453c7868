using System.Formats.Cbor;
using System.Numerics;
using HealthBlock.Crypto;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

/// <summary>The statistics rules (issue 20): each one holds on the state, with a refusal per rule.</summary>
public sealed class StatisticsRulesTests : IDisposable
{
    private readonly StatisticsWorld _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public void Key_consent_policy_contributions_and_a_decryption_record_apply_and_are_indexed_under_the_statistics_identity()
    {
        var patients = Enumerable.Range(0, 3).Select(_ => _s.Patient()).ToList();
        var doctor = _s.Doctor();
        _s.Commit(_s.W.AdminSigner.Sign(new StatisticsPolicyPayload(_s.Statistics, 3)));
        foreach (var p in patients)
        {
            _s.Commit(p.Sign(StatisticsWorld.Contribution(_s.Statistics, 0)), p.Sign(StatisticsWorld.Contribution(_s.Statistics, 1)));
        }

        _s.Commit(_s.StatisticsSigner.Sign(new StatisticsDecryptionPayload(doctor.Id, "heart_rate", StatisticsWorld.OptInMs, StatisticsWorld.OptInMs + (2 * StatisticsWorld.PeriodMs), 3, 6, [.. patients.Select(p => p.Id)])));

        var statistics = _s.State.Statistics;
        Assert.Equal(3u, statistics.GetK(_s.Statistics));
        Assert.Equal(StatisticsWorld.Key.PublicKey, statistics.GetKey(_s.Statistics)!.Key);
        Assert.Equal(StatisticsWorld.OptInMs + (2 * StatisticsWorld.PeriodMs), statistics.GetLastPeriodEnd(patients[0].Id, _s.Statistics));
        var indexed = _s.State.GetPartyTransactions(_s.Statistics, ChainId.Userchain, 0, 1000);
        // Registration, key, three consents, the policy, six contributions, the decryption record.
        Assert.Equal(1 + 1 + 3 + 1 + 6 + 1, indexed.Count);
        Assert.Single(_s.State.GetPartyTransactions(doctor.Id, ChainId.Userchain, 0, 1000), l => l.Height == indexed[^1].Height);
    }

    [Fact]
    public void The_default_k_is_ten_until_an_admin_sets_one()
    {
        Assert.Equal(StatisticsPolicyPayload.DefaultK, _s.State.Statistics.GetK(_s.Statistics));
        Assert.Equal(10u, StatisticsPolicyPayload.DefaultK);
    }

    [Fact]
    public void Only_a_statistics_identity_publishes_a_key_once_and_only_a_sound_key_of_2048_bits_or_more()
    {
        var patient = _s.Patient(optIn: false);
        Assert.Equal(RejectReason.WrongRole, _s.Reason(patient.Sign(new StatisticsKeyPayload(PaillierCbor.Encode(StatisticsWorld.OtherKey.PublicKey)))));
        Assert.Equal(RejectReason.StatisticsKeyRefused, _s.Reason(_s.StatisticsSigner.Sign(new StatisticsKeyPayload(PaillierCbor.Encode(StatisticsWorld.OtherKey.PublicKey)))));

        var fresh = FreshStatistics();
        Assert.Equal(RejectReason.StatisticsKeyRefused, _s.Reason(fresh.Sign(new StatisticsKeyPayload([1, 2, 3]))));
        Assert.Equal(RejectReason.StatisticsKeyRefused, _s.Reason(fresh.Sign(new StatisticsKeyPayload(PublicKeyEncoding((BigInteger.One << 1023) + 1)))));
        Assert.Equal(RejectReason.StatisticsKeyRefused, _s.Reason(fresh.Sign(new StatisticsKeyPayload(PublicKeyEncoding(BigInteger.One << 2048)))));
        Assert.Equal(RejectReason.None, _s.Reason(fresh.Sign(new StatisticsKeyPayload(PaillierCbor.Encode(StatisticsWorld.OtherKey.PublicKey)))));
    }

    [Fact]
    public void Consent_is_a_patients_own_names_a_statistics_identity_and_moves_forward_in_time()
    {
        var patient = _s.Patient();
        var doctor = _s.Doctor();
        Assert.Equal(RejectReason.WrongRole, _s.Reason(doctor.Sign(new StatisticsConsentPayload(_s.Statistics, true))));
        Assert.Equal(RejectReason.NotStatisticsIdentity, _s.Reason(patient.Sign(new StatisticsConsentPayload(doctor.Id, true))));
        _s.Clock.Set(StatisticsWorld.OptInMs);
        Assert.Equal(RejectReason.ConsentRegressed, _s.Reason(patient.Sign(new StatisticsConsentPayload(_s.Statistics, false))));
        _s.Clock.Set(StatisticsWorld.OptInMs + 1);
        Assert.Equal(RejectReason.None, _s.Reason(patient.Sign(new StatisticsConsentPayload(_s.Statistics, false))));
    }

    [Fact]
    public void A_contribution_needs_a_current_opt_in_that_began_by_the_period_start()
    {
        var never = _s.Patient(optIn: false);
        Assert.Equal(RejectReason.ConsentMissing, _s.Reason(never.Sign(StatisticsWorld.Contribution(_s.Statistics, 0))));

        var late = _s.Patient(optIn: false);
        _s.Clock.Set(StatisticsWorld.OptInMs + 1);
        _s.Commit(late.Sign(new StatisticsConsentPayload(_s.Statistics, true)));
        Assert.Equal(RejectReason.ConsentMissing, _s.Reason(late.Sign(StatisticsWorld.Contribution(_s.Statistics, 0))));
        Assert.Equal(RejectReason.None, _s.Reason(late.Sign(StatisticsWorld.Contribution(_s.Statistics, 1))));

        var leaving = _s.Patient();
        _s.Commit(leaving.Sign(StatisticsWorld.Contribution(_s.Statistics, 0)));
        _s.Clock.Set(StatisticsWorld.OptInMs + StatisticsWorld.PeriodMs + 5);
        _s.Commit(leaving.Sign(new StatisticsConsentPayload(_s.Statistics, false)));
        Assert.Equal(RejectReason.ConsentMissing, _s.Reason(leaving.Sign(StatisticsWorld.Contribution(_s.Statistics, 1))));
        Assert.Equal(RejectReason.ConsentMissing, _s.Reason(leaving.Sign(StatisticsWorld.Contribution(_s.Statistics, 5))));
    }

    [Fact]
    public void A_contribution_covers_at_most_an_hour_in_whole_seconds_and_one_per_patient_per_period()
    {
        var patient = _s.Patient();
        var start = StatisticsWorld.OptInMs;
        Assert.Equal(RejectReason.InvalidPeriod, _s.Reason(patient.Sign(new StatisticsContributionPayload(_s.Statistics, start, start + VitalSignsLayout.MaxPeriodMs + 1000, [Valid()]))));
        Assert.Equal(RejectReason.InvalidPeriod, _s.Reason(patient.Sign(new StatisticsContributionPayload(_s.Statistics, start + 500, start + 10_500, [Valid()]))));
        Assert.Equal(RejectReason.None, _s.Reason(patient.Sign(new StatisticsContributionPayload(_s.Statistics, start, start + VitalSignsLayout.MaxPeriodMs, [Valid()]))));

        _s.Commit(patient.Sign(StatisticsWorld.Contribution(_s.Statistics, 1)));
        Assert.Equal(RejectReason.PeriodOverlaps, _s.Reason(patient.Sign(StatisticsWorld.Contribution(_s.Statistics, 1))));
        Assert.Equal(RejectReason.PeriodOverlaps, _s.Reason(patient.Sign(StatisticsWorld.Contribution(_s.Statistics, 0))));
        var overlapping = new StatisticsContributionPayload(_s.Statistics, start + (2 * StatisticsWorld.PeriodMs) - 1000, start + (3 * StatisticsWorld.PeriodMs), [Valid()]);
        Assert.Equal(RejectReason.PeriodOverlaps, _s.Reason(patient.Sign(overlapping)));
        Assert.Equal(RejectReason.None, _s.Reason(patient.Sign(StatisticsWorld.Contribution(_s.Statistics, 2))));
    }

    [Fact]
    public void A_contribution_is_a_patients_and_names_a_statistics_identity_with_a_published_key()
    {
        var patient = _s.Patient();
        var doctor = _s.Doctor();
        Assert.Equal(RejectReason.WrongRole, _s.Reason(doctor.Sign(StatisticsWorld.Contribution(_s.Statistics, 0))));
        Assert.Equal(RejectReason.NotStatisticsIdentity, _s.Reason(patient.Sign(StatisticsWorld.Contribution(doctor.Id, 0))));
        var keyless = FreshStatistics();
        Assert.Equal(RejectReason.NotStatisticsIdentity, _s.Reason(patient.Sign(StatisticsWorld.Contribution(keyless.Id, 0))));
    }

    [Fact]
    public void Tampered_or_foreign_ciphertexts_are_refused_by_the_ledger()
    {
        var patient = _s.Patient();
        var key = StatisticsWorld.Key;
        var n = key.PublicKey.N;
        var fingerprint = key.PublicKey.Fingerprint.ToArray();
        var valid = key.PublicKey.Encrypt(42).Value;
        byte[][] tampered =
        [
            StatisticsWorld.RawCiphertext(fingerprint, key.PublicKey.NSquared),
            StatisticsWorld.RawCiphertext(fingerprint, key.PublicKey.NSquared + valid),
            StatisticsWorld.RawCiphertext(fingerprint, key.P * 7),
            StatisticsWorld.RawCiphertext(fingerprint, n),
            StatisticsWorld.RawCiphertext(StatisticsWorld.OtherKey.PublicKey.Fingerprint, valid),
            PaillierCbor.Encode(StatisticsWorld.OtherKey.PublicKey.Encrypt(42)),
            [0xa0],
            [.. Valid().Append((byte)0)],
        ];
        foreach (var bytes in tampered)
        {
            Assert.Equal(RejectReason.InvalidCiphertext, _s.Reason(patient.Sign(StatisticsWorld.Contribution(_s.Statistics, 0, bytes))));
        }

        var two = StatisticsWorld.Contribution(_s.Statistics, 0) with { Ciphertexts = [Valid(), Valid()] };
        Assert.Equal(RejectReason.InvalidCiphertext, _s.Reason(patient.Sign(two)));
        Assert.Equal(RejectReason.None, _s.Reason(patient.Sign(StatisticsWorld.Contribution(_s.Statistics, 0, StatisticsWorld.RawCiphertext(fingerprint, valid)))));
    }

    [Fact]
    public void Only_an_admin_sets_a_policy_for_a_statistics_identity_with_k_from_2_to_what_a_record_lists()
    {
        var doctor = _s.Doctor();
        Assert.Equal(RejectReason.WrongRole, _s.Reason(doctor.Sign(new StatisticsPolicyPayload(_s.Statistics, 5))));
        Assert.Equal(RejectReason.NotStatisticsIdentity, _s.Reason(_s.W.AdminSigner.Sign(new StatisticsPolicyPayload(doctor.Id, 5))));
        Assert.Equal(RejectReason.InvalidStatisticsPolicy, _s.Reason(_s.W.AdminSigner.Sign(new StatisticsPolicyPayload(_s.Statistics, 1))));
        Assert.Equal(RejectReason.InvalidStatisticsPolicy, _s.Reason(_s.W.AdminSigner.Sign(new StatisticsPolicyPayload(_s.Statistics, StatisticsDecryptionPayload.MaxPatients + 1))));
        Assert.Equal(RejectReason.None, _s.Reason(_s.W.AdminSigner.Sign(new StatisticsPolicyPayload(_s.Statistics, 2))));
    }

    [Fact]
    public void A_decryption_record_below_k_or_of_a_wrong_cohort_or_requester_is_refused()
    {
        var patients = Enumerable.Range(0, 3).Select(_ => _s.Patient()).ToList();
        var doctor = _s.Doctor();
        var ids = patients.Select(p => p.Id).ToList();
        StatisticsDecryptionPayload Record(IdentityId requester, uint k, ulong contributions, IReadOnlyList<IdentityId> cohort) =>
            new(requester, "heart_rate", 0, 1, k, contributions, cohort);

        Assert.Equal(RejectReason.CohortBelowK, _s.Reason(_s.StatisticsSigner.Sign(Record(doctor.Id, 10, 3, ids))));
        _s.Commit(_s.W.AdminSigner.Sign(new StatisticsPolicyPayload(_s.Statistics, 3)));
        Assert.Equal(RejectReason.None, _s.Reason(_s.StatisticsSigner.Sign(Record(doctor.Id, 3, 3, ids))));
        Assert.Equal(RejectReason.CohortBelowK, _s.Reason(_s.StatisticsSigner.Sign(Record(doctor.Id, 3, 2, ids[..2]))));
        Assert.Equal(RejectReason.CohortBelowK, _s.Reason(_s.StatisticsSigner.Sign(Record(doctor.Id, 2, 2, ids[..2]))));
        Assert.Equal(RejectReason.WrongRole, _s.Reason(doctor.Sign(Record(doctor.Id, 3, 3, ids))));
        Assert.Equal(RejectReason.InvalidCohort, _s.Reason(_s.StatisticsSigner.Sign(Record(patients[0].Id, 3, 3, ids))));
        Assert.Equal(RejectReason.InvalidCohort, _s.Reason(_s.StatisticsSigner.Sign(Record(doctor.Id, 3, 2, ids))));
        Assert.Equal(RejectReason.InvalidCohort, _s.Reason(_s.StatisticsSigner.Sign(Record(doctor.Id, 3, 3, [.. ids[..2], doctor.Id]))));

        _s.Clock.Set(StatisticsWorld.OptInMs + 1);
        _s.Commit(patients[2].Sign(new StatisticsConsentPayload(_s.Statistics, false)));
        Assert.Equal(RejectReason.ConsentMissing, _s.Reason(_s.StatisticsSigner.Sign(Record(doctor.Id, 3, 3, ids))));
        Assert.Equal(RejectReason.NotStatisticsIdentity, _s.Reason(FreshStatistics().Sign(Record(doctor.Id, 3, 3, ids))));
    }

    [Fact]
    public void Replicas_and_snapshots_of_a_state_with_statistics_agree_and_keep_enforcing_the_rules()
    {
        var patient = _s.Patient();
        _s.Commit(_s.W.AdminSigner.Sign(new StatisticsPolicyPayload(_s.Statistics, 4)));
        _s.Commit(patient.Sign(StatisticsWorld.Contribution(_s.Statistics, 0)));
        var withoutStatistics = LedgerState.FromGenesis(_s.W.Genesis).ToSnapshot();

        var restored = LedgerState.FromSnapshot(_s.W.Genesis, _s.State.ToSnapshot());

        Assert.Equal(_s.State.ComputeStateHash(), restored.ComputeStateHash());
        Assert.Equal(4u, restored.Statistics.GetK(_s.Statistics));
        Assert.Equal(RejectReason.PeriodOverlaps, restored.Validate(patient.Sign(StatisticsWorld.Contribution(_s.Statistics, 0)))?.Reason);
        Assert.Equal(StatisticsWorld.Key.PublicKey, restored.Statistics.GetKey(_s.Statistics)!.Key);
        Assert.Equal(9, new CborReader(withoutStatistics).ReadStartArray());
        Assert.Equal(10, new CborReader(_s.State.ToSnapshot()).ReadStartArray());
        var replica = LedgerState.FromGenesis(_s.W.Genesis);
        foreach (var block in _s.Blocks)
        {
            Assert.Null(replica.TryApplyBlock(Block.Decode(block.Encode())));
        }

        Assert.Equal(_s.State.ComputeStateHash(), replica.ComputeStateHash());
    }

    private static byte[] Valid() => PaillierCbor.Encode(StatisticsWorld.Key.PublicKey.Encrypt(1));

    private static byte[] PublicKeyEncoding(BigInteger n)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(2);
        w.WriteUInt32(0);
        w.WriteUInt32(1);
        w.WriteUInt32(1);
        w.WriteByteString(n.ToByteArray(isUnsigned: true, isBigEndian: true));
        w.WriteEndMap();
        return w.Encode();
    }

    private TransactionSigner FreshStatistics()
    {
        var key = _s.W.Keep(IdentityKey.Generate());
        _s.Commit(_s.W.AdminSigner.Sign(RegisterPayload.For(key.Public, Role.Statistics, "statistics-2")));
        return new TransactionSigner(key, _s.W.Network);
    }
}
