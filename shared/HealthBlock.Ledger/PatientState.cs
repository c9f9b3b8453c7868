using System.Collections.Immutable;
using HealthBlock.Crypto;

namespace HealthBlock.Ledger;

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
