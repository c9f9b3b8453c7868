using System.Collections.Immutable;
using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The deterministic ledger state every replica applies blocks to: identities and roles, per-signer nonces,
/// Healthcoin balances and doctor–patient paid credit, per-patient key epochs and authorised doctors, and the
/// indexes (transaction by id, transactions by party). Every validation rule is applied here (the rules themselves are in
/// <c>TransactionRules</c> and <c>BlockRules</c>), so the leader (checking a submission against its speculative state)
/// and each replica (re-checking a committed block) reach the same verdict.
/// </summary>
/// <remarks>
/// <para>Who may register whom: an admin registers any role (patients and doctors from their exported identity); a
/// patient registers its own devices (role device; the device is recorded as registered by that patient). Nobody
/// registers itself (<see cref="RejectReason.SelfRegistrationRefused"/>).</para>
/// <para>A state can be <see cref="Fork">forked</see>: the fork reads through to its parent and keeps its own writes,
/// which <see cref="TryApplyBlock"/> uses to apply a block all-or-nothing and the leader uses as its speculative state.
/// Not thread-safe: callers serialise access, and a fork must not outlive changes to its parent it did not see.</para>
/// </remarks>
public sealed class LedgerState
{
    private readonly LedgerState? _parent;
    private readonly StateTables _tables = new();
    private readonly ITransactionIndex? _index;
    private readonly Dictionary<byte[], TxEntry> _forkTransactions = new(ByteArrayComparer.Instance);
    private readonly List<(byte[] Id, TxEntry Entry, IdentityId[] Parties)> _forkIndexed = [];
    private readonly ChainTip[] _tips = new ChainTip[2];

    private LedgerState(Genesis genesis, LedgerState? parent, ITransactionIndex? index = null)
    {
        Genesis = genesis;
        _parent = parent;
        _index = parent is null ? index ?? new InMemoryTransactionIndex() : null;
        _tips[0] = parent?._tips[0] ?? ChainTip.Empty(ChainId.Userchain);
        _tips[1] = parent?._tips[1] ?? ChainTip.Empty(ChainId.Docchain);
    }

    /// <summary>The genesis this state grew from.</summary>
    public Genesis Genesis { get; }

    /// <summary>Healthcoin each diagnosis consumes.</summary>
    public ulong DiagnosisFee => Genesis.DiagnosisFee;

    /// <summary>True for a fork (a speculative or in-progress state over a parent).</summary>
    public bool IsFork => _parent is not null;

    /// <summary>The state at genesis: the genesis identities and balances, both chains empty.</summary>
    /// <param name="genesis">The genesis.</param>
    /// <param name="index">The transaction index to fill (empty); null keeps it in memory.</param>
    public static LedgerState FromGenesis(Genesis genesis, ITransactionIndex? index = null)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var s = new LedgerState(genesis, null, index);
        foreach (var i in genesis.Identities)
        {
            s._tables.Identities[i.Keys.Id] = new IdentityRecord(i.Keys, i.Role, i.Name, null);
            if (i.Role == Role.Patient)
            {
                s._tables.Patients[i.Keys.Id] = PatientState.New;
            }
        }

        foreach (var b in genesis.Balances)
        {
            s._tables.Balances[b.Id] = b.Amount;
        }

        return s;
    }

    /// <summary>A fork that reads through to this state and keeps its own writes.</summary>
    public LedgerState Fork() => new(Genesis, this);

    // ---------------------------------------------------------------- queries

    /// <summary>The tip of a chain.</summary>
    public ChainTip Tip(ChainId chain) => _tips[ChainIndex(chain)];

    /// <summary>
    /// The time the next block of either chain must exceed. Block times are strictly increasing across both chains, so
    /// the order in which replicas applied Userchain and Docchain blocks can be recovered from the blocks alone.
    /// </summary>
    public long LastBlockTimeMs => long.Max(_tips[0].LastTimeMs, _tips[1].LastTimeMs);

    /// <summary>A registered identity, or null.</summary>
    public IdentityRecord? GetIdentity(IdentityId id) =>
        _tables.Identities.TryGetValue(id, out var r) ? r : _parent?.GetIdentity(id);

    /// <summary>The last nonce the signer used (0 if none).</summary>
    public ulong GetLastNonce(IdentityId id) => _tables.Nonces.TryGetValue(id, out var n) ? n : _parent?.GetLastNonce(id) ?? 0;

    /// <summary>The smallest nonce the signer's next transaction may use.</summary>
    public ulong GetNextNonce(IdentityId id) => GetLastNonce(id) + 1;

    /// <summary>The Healthcoin balance.</summary>
    public ulong GetBalance(IdentityId id) => _tables.Balances.TryGetValue(id, out var b) ? b : _parent?.GetBalance(id) ?? 0;

    /// <summary>The paid credit a patient holds with a doctor (what the doctor may still consume by diagnoses).</summary>
    public ulong GetCredit(IdentityId doctor, IdentityId patient) =>
        _tables.Credits.TryGetValue((doctor, patient), out var c) ? c : _parent?.GetCredit(doctor, patient) ?? 0;

    /// <summary>A patient's key state, or null when the id is not a registered patient.</summary>
    public PatientKeys? GetPatientKeys(IdentityId patient)
    {
        var p = GetPatient(patient);
        return p is null ? null : new PatientKeys(patient, p.Epoch, p.CurrentDoctors, p.LatestKeyTransaction, p.LastBatch, p.LastLive);
    }

    /// <summary>True when a transaction with this id is committed (or, in a fork, applied).</summary>
    public bool ContainsTransaction(ReadOnlySpan<byte> id) => FindEntry(id.ToArray()) is not null;

    /// <summary>Where a committed transaction is, or null.</summary>
    public TxLocation? FindTransaction(ReadOnlySpan<byte> id) => FindEntry(id.ToArray())?.Location;

    /// <summary>Number of committed transactions (in a fork, with those it applied).</summary>
    public long TransactionCount => _index?.Count ?? (_forkTransactions.Count + _parent!.TransactionCount);

    /// <summary>
    /// Locations of the transactions a party takes part in (as signer, recipient, registered identity, authorised
    /// doctor or diagnosed patient) on <paramref name="chain"/> at or above <paramref name="fromHeight"/>, in ledger order.
    /// </summary>
    public IReadOnlyList<TxLocation> GetPartyTransactions(IdentityId party, ChainId chain, ulong fromHeight, int limit) =>
        Root._index!.PartyTransactions(party, chain, fromHeight, limit);

    /// <summary>A patient's key state with every epoch, or null.</summary>
    internal PatientState? GetPatient(IdentityId id) => _tables.Patients.TryGetValue(id, out var p) ? p : _parent?.GetPatient(id);

    /// <summary>The statistics keys, policies, consents and contributions, read through to the parent.</summary>
    internal StatisticsState Statistics => new(_tables.Statistics, _parent?.Statistics);

    /// <summary>What the transaction index holds for a transaction id, or null.</summary>
    internal TxEntry? FindEntry(byte[] id) => _index is { } index ? index.Find(id) : _forkTransactions.TryGetValue(id, out var e) ? e : _parent!.FindEntry(id);

    private LedgerState Root => _parent?.Root ?? this;

    // ---------------------------------------------------------------- validation and application

    /// <summary>
    /// Checks <paramref name="tx"/> against this state without changing it. With <paramref name="verifySignature"/>
    /// false the caller vouches that the signature was verified before (it cannot change: the id is the signer's key hash).
    /// </summary>
    /// <returns>Null when valid; else why not.</returns>
    public Rejection? Validate(Transaction tx, bool verifySignature = true)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return TransactionRules.Check(this, tx, verifySignature, out _);
    }

    /// <summary>Validates and, when valid, applies one transaction as if at <paramref name="location"/>.</summary>
    /// <returns>Null when applied; else why it was refused (and the state is unchanged).</returns>
    public Rejection? TryApply(Transaction tx, TxLocation location, bool verifySignature = true)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var r = TransactionRules.Check(this, tx, verifySignature, out var signer);
        if (r is null)
        {
            Apply(tx, location, signer!);
        }

        return r;
    }

    /// <summary>
    /// Validates a whole block against this state (height, link, Merkle root, proposer role and signature, time, then
    /// every transaction in order) and applies it only if all of it is valid.
    /// </summary>
    /// <param name="block">The block.</param>
    /// <param name="signatures">
    /// Per transaction: true when its signature was already verified, false when it is known bad, null (or a null
    /// array) to verify it here.
    /// </param>
    /// <returns>Null when applied; else the first reason the block is invalid (the state is then unchanged).</returns>
    public Rejection? TryApplyBlock(Block block, bool?[]? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(block);
        var r = BlockRules.CheckHeader(this, block);
        if (r is not null)
        {
            return r;
        }

        var fork = Fork();
        var chain = block.Header.Chain;
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var tx = block.Transactions[i];
            var known = signatures is null ? null : signatures[i];
            Rejection? txr;
            if (tx.Body.Chain != chain)
            {
                txr = new(RejectReason.WrongChain, $"a {tx.Body.Type} transaction belongs to {LedgerText.ChainName(tx.Body.Chain)}");
            }
            else if (known == false)
            {
                txr = new(RejectReason.BadSignature, "the signature does not verify under the signer's key");
            }
            else
            {
                txr = fork.TryApply(tx, new TxLocation(chain, block.Header.Height, i), verifySignature: known != true);
            }

            if (txr is not null)
            {
                return new(
                    RejectReason.BlockInvalidTransaction,
                    $"{LedgerText.ChainName(chain)} block {block.Header.Height}: transaction {i} ({tx.IdHex}) is invalid: {txr}");
            }
        }

        fork._tips[ChainIndex(chain)] = new ChainTip(chain, block.Header.Height + 1, block.Hash, block.Header.TimeMs);
        fork.MergeIntoParent();
        return null;
    }

    /// <summary>
    /// Verifies the signatures of a block's transactions whose signers this state already knows, in parallel.
    /// Returns, per transaction, true (valid), false (invalid) or null (signer not known yet: verify in order).
    /// </summary>
    public bool?[] PreverifySignatures(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return BlockRules.PreverifySignatures(this, block);
    }

    private void Apply(Transaction tx, TxLocation location, IdentityRecord signer)
    {
        var body = tx.Body;
        _tables.Nonces[body.Signer] = body.Nonce;
        switch (body.Payload)
        {
            case RegisterPayload p:
                var identity = p.Identity();
                _tables.Identities[identity.Id] = new IdentityRecord(identity, p.Role, p.Name, signer.Id);
                if (p.Role == Role.Patient)
                {
                    _tables.Patients[identity.Id] = PatientState.New;
                }

                break;
            case IssuePayload p:
                _tables.Balances[p.To] = GetBalance(p.To) + p.Amount;
                break;
            case PaymentPayload p:
                _tables.Balances[body.Signer] = GetBalance(body.Signer) - p.Amount;
                _tables.Credits[(p.To, body.Signer)] = GetCredit(p.To, body.Signer) + p.Amount;
                break;
            case KeyPayload p:
            {
                var patient = GetPatient(body.Signer) ?? PatientState.New;
                var doctors = p.Envelopes.Select(e => e.Doctor).Order().ToImmutableArray();
                _tables.Patients[body.Signer] = patient with { Epoch = p.Epoch, Epochs = patient.Epochs.SetItem(p.Epoch, doctors), LatestKeyTransaction = tx.IdBytes, LastLive = null };
                break;
            }

            case IotPayload p:
            {
                var patient = GetPatient(body.Signer) ?? PatientState.New;
                _tables.Patients[body.Signer] = patient with { LastBatch = p.Batch, LastLive = p.Live?.LastSequence ?? patient.LastLive };
                break;
            }

            case DiagnosisPayload p:
                _tables.Credits[(body.Signer, p.Patient)] = GetCredit(body.Signer, p.Patient) - DiagnosisFee;
                _tables.Balances[body.Signer] = GetBalance(body.Signer) + DiagnosisFee;
                break;
        }

        Statistics.Apply(body);
        Index(tx, location);
    }

    /// <summary>Records a transaction in the transaction index and under each of its parties.</summary>
    private void Index(Transaction tx, TxLocation location) =>
        AddIndexed(tx.IdBytes, new TxEntry(location, tx.Body.Type, TransactionParties.Subject(tx.Body)), [.. TransactionParties.Of(tx.Body).Distinct()]);

    /// <summary>The committed state indexes a transaction at once; a fork keeps it until it merges.</summary>
    private void AddIndexed(byte[] id, TxEntry entry, IdentityId[] parties)
    {
        if (_index is { } index)
        {
            index.Add(id, entry, parties);
        }
        else
        {
            _forkTransactions[id] = entry;
            _forkIndexed.Add((id, entry, parties));
        }
    }

    private void MergeIntoParent()
    {
        var p = _parent ?? throw new InvalidOperationException("Only a fork merges into its parent.");
        _tables.CopyInto(p._tables);
        foreach (var (id, entry, parties) in _forkIndexed)
        {
            p.AddIndexed(id, entry, parties);
        }

        p._tips[0] = _tips[0];
        p._tips[1] = _tips[1];
    }

    /// <summary>
    /// Adds a committed block that is already reflected in this state (restored from a snapshot) to the indexes only.
    /// </summary>
    internal void IndexRestoredBlock(Block block)
    {
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            Index(block.Transactions[i], new TxLocation(block.Header.Chain, block.Header.Height, i));
        }
    }

    private static int ChainIndex(ChainId chain) => chain switch
    {
        ChainId.Userchain => 0,
        ChainId.Docchain => 1,
        _ => throw new ProtocolException(ProtocolError.InvalidField, $"Unknown chain {(byte)chain}."),
    };

    // ---------------------------------------------------------------- snapshot and hash (see StateCodec)

    internal IEnumerable<IdentityRecord> AllIdentities => Root._tables.Identities.Values;

    internal IReadOnlyDictionary<IdentityId, ulong> AllNonces => Root._tables.Nonces;

    internal IReadOnlyDictionary<IdentityId, ulong> AllBalances => Root._tables.Balances;

    internal IReadOnlyDictionary<(IdentityId Doctor, IdentityId Patient), ulong> AllCredits => Root._tables.Credits;

    internal IReadOnlyDictionary<IdentityId, PatientState> AllPatients => Root._tables.Patients;

    internal StatisticsTables AllStatistics => Root._tables.Statistics;

    /// <summary>
    /// SHA-256 over the canonical serialisation of the committed state (genesis hash, chain tips, identities, nonces,
    /// balances, credits, patient key states): equal on replicas that applied the same blocks.
    /// </summary>
    public byte[] ComputeStateHash()
    {
        if (IsFork)
        {
            throw new InvalidOperationException("Hash the committed state, not a fork.");
        }

        return SHA256.HashData(StateCodec.Encode(this));
    }

    /// <summary>Serialises the committed state (everything but the indexes, which are rebuilt from the blocks).</summary>
    public byte[] ToSnapshot() => StateCodec.Encode(this);

    /// <summary>Restores a committed state from <see cref="ToSnapshot"/> bytes; the genesis must be the one it grew from.</summary>
    /// <param name="genesis">The genesis.</param>
    /// <param name="snapshot">The snapshot bytes.</param>
    /// <param name="index">The transaction index that holds the snapshot's transactions (null: an empty in-memory index, to fill with <see cref="IndexRestoredBlock"/>).</param>
    /// <exception cref="ProtocolException">Malformed snapshot or a different genesis.</exception>
    public static LedgerState FromSnapshot(Genesis genesis, ReadOnlyMemory<byte> snapshot, ITransactionIndex? index = null)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var s = StateCodec.Decode(snapshot);
        if (!s.GenesisHash.AsSpan().SequenceEqual(genesis.Hash))
        {
            throw new ProtocolException(ProtocolError.InvalidField, "The state snapshot was made from a different genesis.");
        }

        var state = new LedgerState(genesis, null, index);
        state._tips[0] = s.Userchain;
        state._tips[1] = s.Docchain;
        var t = state._tables;
        foreach (var i in s.Identities)
        {
            t.Identities[i.Id] = i;
        }

        foreach (var (k, v) in s.Nonces)
        {
            t.Nonces[k] = v;
        }

        foreach (var (k, v) in s.Balances)
        {
            t.Balances[k] = v;
        }

        foreach (var (k, v) in s.Credits)
        {
            t.Credits[k] = v;
        }

        foreach (var (k, v) in s.Patients)
        {
            t.Patients[k] = v;
        }

        s.Statistics.CopyInto(t.Statistics);

        return state;
    }
}
