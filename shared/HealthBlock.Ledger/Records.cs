using System.Collections.Immutable;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>A registered identity.</summary>
/// <param name="Keys">Its public keys (the id is derived from the signing key).</param>
/// <param name="Role">Its role.</param>
/// <param name="Name">Display name.</param>
/// <param name="RegisteredBy">Who registered it: an admin, the owning patient of a device, itself for a self-registered patient; null for genesis identities.</param>
public sealed record IdentityRecord(PublicIdentity Keys, Role Role, string Name, IdentityId? RegisteredBy)
{
    /// <summary>The identity id.</summary>
    public IdentityId Id => Keys.Id;
}

/// <summary>Where a committed transaction is.</summary>
/// <param name="Chain">Its chain.</param>
/// <param name="Height">Height of its block.</param>
/// <param name="Index">Its position in the block.</param>
public readonly record struct TxLocation(ChainId Chain, ulong Height, int Index)
{
    /// <inheritdoc />
    public override string ToString() => $"{LedgerText.ChainName(Chain)}/{Height}/{Index}";
}

/// <summary>A patient's key state: the current epoch and who is authorised in it.</summary>
/// <param name="Patient">The patient.</param>
/// <param name="Epoch">Current key epoch (0 before the first key transaction).</param>
/// <param name="Doctors">Doctors authorised in the current epoch (those with an envelope), ascending.</param>
/// <param name="LatestKeyTransaction">Id of the latest key transaction, or null.</param>
/// <param name="LastBatch">The highest IoT batch number published so far, or null.</param>
public sealed record PatientKeys(IdentityId Patient, uint Epoch, IReadOnlyList<IdentityId> Doctors, byte[]? LatestKeyTransaction, ulong? LastBatch);

/// <summary>The tip of one chain.</summary>
/// <param name="Chain">Which chain.</param>
/// <param name="BlockCount">Number of blocks (the height the next block gets).</param>
/// <param name="LastHash">Hash of the last block; 32 zero bytes when empty.</param>
/// <param name="LastTimeMs">Time of the last block; 0 when empty.</param>
public sealed record ChainTip(ChainId Chain, ulong BlockCount, byte[] LastHash, long LastTimeMs)
{
    /// <summary>The tip of an empty chain.</summary>
    public static ChainTip Empty(ChainId chain) => new(chain, 0, new byte[32], 0);
}

/// <summary>Per-patient state kept in the ledger state (immutable; replaced on change).</summary>
internal sealed record PatientState(
    uint Epoch,
    ImmutableSortedDictionary<uint, ImmutableArray<IdentityId>> Epochs,
    byte[]? LatestKeyTransaction,
    ulong? LastBatch)
{
    public static readonly PatientState New = new(0, ImmutableSortedDictionary<uint, ImmutableArray<IdentityId>>.Empty, null, null);

    public ImmutableArray<IdentityId> CurrentDoctors => Epochs.TryGetValue(Epoch, out var d) ? d : [];

    public bool Authorised(uint epoch, IdentityId doctor) =>
        Epochs.TryGetValue(epoch, out var d) && d.BinarySearch(doctor) >= 0;
}

/// <summary>What the transaction index keeps for each committed transaction.</summary>
/// <param name="Location">Where it is.</param>
/// <param name="Type">Its type.</param>
/// <param name="Subject">The patient it is about (IoT: signer; diagnosis: the patient), else the signer.</param>
internal readonly record struct TxEntry(TxLocation Location, TransactionType Type, IdentityId Subject);

/// <summary>Names used in text and URLs.</summary>
public static class LedgerText
{
    /// <summary>The URL/CLI name of a chain: <c>userchain</c> or <c>docchain</c>.</summary>
    public static string ChainName(ChainId chain) => chain switch
    {
        ChainId.Userchain => "userchain",
        ChainId.Docchain => "docchain",
        _ => "unknown",
    };

    /// <summary>Parses a chain name (case-insensitive) or number.</summary>
    public static bool TryParseChain(string? text, out ChainId chain)
    {
        chain = text?.ToLowerInvariant() switch
        {
            "userchain" or "user" or "1" => ChainId.Userchain,
            "docchain" or "doc" or "2" => ChainId.Docchain,
            _ => 0,
        };
        return chain != 0;
    }
}
