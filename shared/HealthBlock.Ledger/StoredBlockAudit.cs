using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The audit rule that every block a committed transaction references is still held by some store node: the sealed
/// batch of each IoT transaction and the sealed document of each diagnosis. Fed with the applied blocks of both chains
/// (<see cref="Observe"/>, as <see cref="LedgerAudit.RunAsync"/> does when given one), then asked which referenced
/// blocks no holder has (<see cref="FindMissingAsync"/>). A block every holder lost cannot be brought back from the
/// ledger, which keeps only its CID; the rule makes the loss known and names what it costs: the CID, the transaction
/// that references it and the patient.
/// </summary>
public sealed class StoredBlockAudit
{
    private readonly List<StoredBlockReference> _references = [];

    /// <summary>The references recorded so far, in applied order.</summary>
    public IReadOnlyList<StoredBlockReference> References => _references;

    /// <summary>Takes the next applied block (of either chain).</summary>
    public void Observe(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        foreach (var tx in block.Transactions)
        {
            var reference = tx.Body.Payload switch
            {
                IotPayload iot => new StoredBlockReference(iot.Cid, tx.IdHex, "IoT batch", block.Header.Chain, block.Header.Height, tx.Body.Signer),
                DiagnosisPayload diagnosis => new StoredBlockReference(diagnosis.Cid, tx.IdHex, "diagnosis document", block.Header.Chain, block.Header.Height, diagnosis.Patient),
                _ => null,
            };
            if (reference is not null)
            {
                _references.Add(reference);
            }
        }
    }

    /// <summary>The references whose block <paramref name="held"/> says no holder has, in applied order.</summary>
    /// <param name="held">True when some holder has the block (an error it throws ends the check: the holders could not be asked).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<IReadOnlyList<StoredBlockReference>> FindMissingAsync(Func<Cid, CancellationToken, Task<bool>> held, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        var answers = new Dictionary<Cid, bool>();
        var missing = new List<StoredBlockReference>();
        foreach (var reference in _references)
        {
            if (!answers.TryGetValue(reference.Cid, out var isHeld))
            {
                answers[reference.Cid] = isHeld = await held(reference.Cid, cancellationToken).ConfigureAwait(false);
            }

            if (!isHeld)
            {
                missing.Add(reference);
            }
        }

        return missing;
    }
}
