using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// Which transactions of each block one caller's feed (<see cref="LedgerRoutes.Feed"/>) carries, block after block:
/// everything for the roles that read everything; otherwise those the caller takes part in (its grants, payments to
/// it, its diagnoses, …) and those of the patients that grant it. The patients that grant it are known at the feed's
/// first height (from their key transactions before it) and then followed through the blocks the feed walks: a key
/// transaction naming the caller adds its patient; a later key transaction of that patient that does not name it (the
/// revocation) is carried, so the doctor learns it, and removes the patient. Not thread-safe: one per feed.
/// </summary>
internal sealed class FeedFilter
{
    private readonly IdentityRecord _caller;
    private readonly bool _everything;
    private readonly HashSet<IdentityId> _granting;

    private FeedFilter(IdentityRecord caller, HashSet<IdentityId> granting)
    {
        _caller = caller;
        _everything = ReadAuthorization.ReadsEverything(caller.Role);
        _granting = granting;
    }

    /// <summary>The filter of <paramref name="caller"/>'s feed of <paramref name="chain"/> from <paramref name="fromHeight"/>.</summary>
    public static async Task<FeedFilter> StartAsync(ILedgerReader ledger, IdentityRecord caller, ChainId chain, ulong fromHeight, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(caller);
        var granting = new HashSet<IdentityId>();
        if (ReadAuthorization.ReadsEverything(caller.Role) || (chain == ChainId.Userchain && fromHeight == 0))
        {
            return new FeedFilter(caller, granting);
        }

        // Every patient whose key transaction ever named the caller (the caller is a party of it) …
        var patients = new HashSet<IdentityId>();
        await foreach (var t in ledger.ReadAllTransactionsForAsync(caller.Id, ChainId.Userchain, 0, cancellationToken).ConfigureAwait(false))
        {
            if (t.Transaction.Body.Payload is KeyPayload && t.Transaction.Body.Signer != caller.Id)
            {
                patients.Add(t.Transaction.Body.Signer);
            }
        }

        // … that grants it at the first height: its last key transaction below it names the caller (on Docchain,
        // which holds no key transactions, the patient's key state now).
        foreach (var patient in patients)
        {
            var names = chain == ChainId.Docchain
                ? (await ledger.GetPatientKeysAsync(patient, cancellationToken).ConfigureAwait(false))?.Doctors.Contains(caller.Id) == true
                : await LastKeyBelowNamesAsync(ledger, patient, caller.Id, fromHeight, cancellationToken).ConfigureAwait(false);
            if (names)
            {
                granting.Add(patient);
            }
        }

        return new FeedFilter(caller, granting);
    }

    /// <summary>The indexes of <paramref name="block"/>'s transactions the caller's feed carries; call once per block, in order.</summary>
    public IReadOnlyList<int> Visible(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (_everything)
        {
            return [.. Enumerable.Range(0, block.Transactions.Count)];
        }

        var visible = new List<int>();
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var body = block.Transactions[i].Body;
            var names = body.Payload is KeyPayload k && k.Envelopes.Any(e => e.Doctor == _caller.Id);
            if (names)
            {
                _granting.Add(body.Signer);
            }

            if (TransactionParties.Of(body).Any(p => p == _caller.Id || _granting.Contains(p)))
            {
                visible.Add(i);
            }

            if (body.Payload is KeyPayload && !names)
            {
                _granting.Remove(body.Signer);
            }
        }

        return visible;
    }

    private static async Task<bool> LastKeyBelowNamesAsync(ILedgerReader ledger, IdentityId patient, IdentityId caller, ulong height, CancellationToken cancellationToken)
    {
        KeyPayload? last = null;
        await foreach (var t in ledger.ReadAllTransactionsForAsync(patient, ChainId.Userchain, 0, cancellationToken).ConfigureAwait(false))
        {
            if (t.Location.Height >= height)
            {
                break;
            }

            if (t.Transaction.Body.Signer == patient && t.Transaction.Body.Payload is KeyPayload k)
            {
                last = k;
            }
        }

        return last?.Envelopes.Any(e => e.Doctor == caller) == true;
    }
}
