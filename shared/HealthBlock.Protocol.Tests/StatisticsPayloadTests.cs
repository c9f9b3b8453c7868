using CsCheck;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Tests;

/// <summary>The five statistics payloads (issue 20): canonical round trips, and the shapes their decoders refuse.</summary>
public sealed class StatisticsPayloadTests : IDisposable
{
    private static readonly NetworkId Network = NetworkId.FromGenesisHash(System.Security.Cryptography.SHA256.HashData("statistics payload tests"u8));
    private readonly IdentityKey _signer = IdentityKey.Generate();
    private readonly IdentityId _statistics = IdentityId.FromSigningKey(IdentityKey.Generate().Public.SigningKey);

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void Every_statistics_payload_round_trips_signed_and_goes_to_userchain()
    {
        foreach (var payload in Samples())
        {
            var tx = Transaction.Sign(new TransactionBody(Network, _signer.Id, 3, 1_764_000_000_000, payload), _signer);
            var back = Transaction.Decode(tx.Encode());

            Assert.Equal(tx.Encode(), back.Encode());
            Assert.Equal(payload.Type, back.Body.Type);
            Assert.Equal(ChainId.Userchain, back.Body.Chain);
            Assert.True(back.VerifySignature(_signer.Public));
        }
    }

    [Fact]
    public void Decoded_payloads_keep_their_values()
    {
        var contribution = (StatisticsContributionPayload)RoundTrip(new StatisticsContributionPayload(_statistics, 3_600_000, 7_200_000, [[1, 2, 3], [4]]));
        Assert.Equal((_statistics, 3_600_000L, 7_200_000L), (contribution.Statistics, contribution.PeriodStartMs, contribution.PeriodEndMs));
        Assert.Equal([[1, 2, 3], [4]], contribution.Ciphertexts);

        Assert.False(((StatisticsConsentPayload)RoundTrip(new StatisticsConsentPayload(_statistics, false))).OptIn);
        Assert.True(((StatisticsConsentPayload)RoundTrip(new StatisticsConsentPayload(_statistics, true))).OptIn);
        Assert.Equal(7u, ((StatisticsPolicyPayload)RoundTrip(new StatisticsPolicyPayload(_statistics, 7))).K);

        var a = IdentityId.FromSigningKey(IdentityKey.Generate().Public.SigningKey);
        var b = IdentityId.FromSigningKey(IdentityKey.Generate().Public.SigningKey);
        var record = (StatisticsDecryptionPayload)RoundTrip(new StatisticsDecryptionPayload(_signer.Id, "heart_rate", 10, 20, 2, 5, [b, a]));
        Assert.Equal(new[] { a, b }.Order(), record.Patients);
        Assert.Equal(("heart_rate", 10L, 20L, 2u, 5UL), (record.Metric, record.FromMs, record.ToMs, record.K, record.Contributions));
    }

    [Fact]
    public void A_period_or_window_that_does_not_end_after_it_starts_is_refused()
    {
        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsContributionPayload(_statistics, 10, 10, [[1]])));
        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsContributionPayload(_statistics, 10, 9, [[1]])));
        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsDecryptionPayload(_signer.Id, "heart_rate", 20, 20, 2, 1, [])));
    }

    [Fact]
    public void A_contribution_without_a_ciphertext_or_with_too_many_or_too_long_ones_is_refused()
    {
        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsContributionPayload(_statistics, 0, 1, [])));
        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsContributionPayload(_statistics, 0, 1, [[1], [2], [3]])));
        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsContributionPayload(_statistics, 0, 1, [new byte[StatisticsContributionPayload.MaxCiphertextBytes + 1]])));
        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsKeyPayload(new byte[StatisticsKeyPayload.MaxKeyBytes + 1])));
    }

    [Fact]
    public void A_consent_other_than_zero_or_one_and_a_patient_listed_twice_are_refused()
    {
        var consent = Body(new StatisticsConsentPayload(_statistics, true));
        // The payload's last entry (key 1, value 1) is followed by the body's key 6 and its 32-byte network string.
        var at = consent.AsSpan().IndexOf(new byte[] { 0x01, 0x01, 0x06, 0x58, 0x20 });
        Assert.True(at > 0);
        consent[at + 1] = 0x02;
        Assert.Throws<ProtocolException>(() => TransactionBody.Decode(consent));

        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsDecryptionPayload(_signer.Id, "heart_rate", 0, 1, 2, 2, [_statistics, _statistics])));
        Assert.Throws<ProtocolException>(() => RoundTrip(new StatisticsDecryptionPayload(_signer.Id, new string('m', StatisticsDecryptionPayload.MaxMetricLength + 1), 0, 1, 2, 2, [])));
    }

    [Fact]
    public void Mutated_statistics_transactions_never_crash_the_decoder()
    {
        var samples = Samples().Select(p => Transaction.Sign(new TransactionBody(Network, _signer.Id, 1, 1, p), _signer).Encode()).ToArray();
        Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, 10_000], Gen.Byte[1, 255]).Sample(t =>
        {
            var bytes = samples[t.Item1].ToArray();
            bytes[t.Item2 % bytes.Length] ^= t.Item3;
            try
            {
                Transaction.Decode(bytes);
            }
            catch (ProtocolException)
            {
            }
        }, iter: 5_000);
    }

    private IEnumerable<TransactionPayload> Samples()
    {
        yield return new StatisticsKeyPayload([0xa2, 0x00, 0x01, 0x01, 0x41, 0x07]);
        yield return new StatisticsConsentPayload(_statistics, true);
        yield return new StatisticsContributionPayload(_statistics, 1_764_000_000_000, 1_764_003_600_000, [new byte[600]]);
        yield return new StatisticsPolicyPayload(_statistics, 10);
        yield return new StatisticsDecryptionPayload(_signer.Id, "temperature", 1_764_000_000_000, 1_764_003_600_000, 10, 10, [_statistics]);
    }

    private TransactionPayload RoundTrip(TransactionPayload payload) => TransactionBody.Decode(Body(payload)).Payload;

    private byte[] Body(TransactionPayload payload) => new TransactionBody(Network, _signer.Id, 1, 1, payload).Encode();
}
