using System.Formats.Cbor;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Protocol.Ledger;

/// <summary>The type-specific part of a transaction body, encoded as a CBOR map with ascending integer keys.</summary>
public abstract record TransactionPayload
{
    /// <summary>Limits that keep a transaction small.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Most envelopes (authorised doctors) in one key transaction.</summary>
    public const int MaxEnvelopes = 256;

    /// <summary>Most IoT transactions one diagnosis may cover.</summary>
    public const int MaxCovered = 4096;

    /// <summary>The transaction type this payload belongs to.</summary>
    public abstract TransactionType Type { get; }

    /// <summary>Writes the payload map.</summary>
    internal abstract void Write(CborWriter writer);

    internal static TransactionPayload Read(TransactionType type, CanonicalReader r) => type switch
    {
        TransactionType.Register => RegisterPayload.ReadBody(r),
        TransactionType.Issue => IssuePayload.ReadBody(r),
        TransactionType.Payment => PaymentPayload.ReadBody(r),
        TransactionType.Key => KeyPayload.ReadBody(r),
        TransactionType.Iot => IotPayload.ReadBody(r),
        TransactionType.Diagnosis => DiagnosisPayload.ReadBody(r),
        TransactionType.StatisticsKey => StatisticsKeyPayload.ReadBody(r),
        TransactionType.StatisticsConsent => StatisticsConsentPayload.ReadBody(r),
        TransactionType.StatisticsContribution => StatisticsContributionPayload.ReadBody(r),
        TransactionType.StatisticsPolicy => StatisticsPolicyPayload.ReadBody(r),
        TransactionType.StatisticsDecryption => StatisticsDecryptionPayload.ReadBody(r),
        _ => throw r.Invalid($"unknown transaction type {(byte)type}"),
    };

    internal static IdentityId ReadId(CanonicalReader r) => IdentityId.FromBytes(r.Bytes(IdentityId.Size));

    internal static Cid ReadCid(CanonicalReader r) => Cid.FromBytes(r.Bytes(Cid.BinarySize));
}
