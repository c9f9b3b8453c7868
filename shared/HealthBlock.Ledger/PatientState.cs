using System.Collections.Immutable;
using HealthBlock.Crypto;

namespace HealthBlock.Ledger;

/// <summary>Per-patient state kept in the ledger state (immutable; replaced on change).</summary>
/// <param name="Epoch">The current key epoch.</param>
/// <param name="Epochs">The doctors authorised in each epoch.</param>
/// <param name="LatestKeyTransaction">The latest key transaction's id.</param>
/// <param name="LastBatch">The last batch number an IoT transaction used.</param>
/// <param name="LastLive">The last live sequence number an IoT transaction of the current epoch committed (null after a key transaction: every epoch has a fresh key and counts from 1).</param>
internal sealed record PatientState(
    uint Epoch,
    ImmutableSortedDictionary<uint, ImmutableArray<IdentityId>> Epochs,
    byte[]? LatestKeyTransaction,
    ulong? LastBatch,
    ulong? LastLive = null)
{
    public static readonly PatientState New = new(0, ImmutableSortedDictionary<uint, ImmutableArray<IdentityId>>.Empty, null, null);

    public ImmutableArray<IdentityId> CurrentDoctors => Epochs.TryGetValue(Epoch, out var d) ? d : [];

    public bool Authorised(uint epoch, IdentityId doctor) =>
        Epochs.TryGetValue(epoch, out var d) && d.BinarySearch(doctor) >= 0;
}
