using System.Collections.Immutable;
using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The deterministic ledger state every replica applies blocks to: identities and roles, per-signer nonces,
/// Healthcoin balances and doctor–patient paid credit, per-patient key epochs and authorised doctors, and the
/// indexes (transaction by id, transactions by party). Every validation rule lives here, so the leader (checking a
/// submission against its speculative state) and each replica (re-checking a committed block) reach the same verdict.
/// </summary>
/// <remarks>
/// <para>Who may register whom: an admin registers any role; a patient may register itself (self-registration: the
/// register transaction's signer is the identity it registers, role patient); a patient registers its own devices
/// (role device; the device is recorded as registered by that patient). Doctors, accounting nodes and admins are
/// registered only by admins (or named in the genesis).</para>
/// <para>A state can be <see cref="Fork">forked</see>: the fork reads through to its parent and keeps its own writes,
/// which <see cref="TryApplyBlock"/> uses to apply a block all-or-nothing and the leader uses as its speculative state.
/// Not thread-safe: callers serialise access, and a fork must not outlive changes to its parent it did not see.</para>
/// </remarks>
public sealed class LedgerState
{
    private readonly LedgerState? _parent;
    private readonly Dictionary<IdentityId, IdentityRecord> _identities = [];
    private readonly Dictionary<IdentityId, ulong> _nonces = [];
    private readonly Dictionary<IdentityId, ulong> _balances = [];
    private readonly Dictionary<(IdentityId Doctor, IdentityId Patient), ulong> _credits = [];
    private readonly Dictionary<IdentityId, PatientState> _patients = [];
    private readonly Dictionary<byte[], TxEntry> _txIndex = new(ByteArrayComparer.Instance);
    private readonly Dictionary<IdentityId, List<TxLocation>> _parties = [];
    private readonly List<(IdentityId Party, TxLocation Location)> _pendingParties = [];
    private readonly ChainTip[] _tips = new ChainTip[2];

    private LedgerState(Genesis genesis, LedgerState? parent)
    {
        Genesis = genesis;
        _parent = parent;
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
    public static LedgerState FromGenesis(Genesis genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var s = new LedgerState(genesis, null);
        foreach (var i in genesis.Identities)
        {
            s._identities[i.Keys.Id] = new IdentityRecord(i.Keys, i.Role, i.Name, null);
            if (i.Role == Role.Patient)
            {
                s._patients[i.Keys.Id] = PatientState.New;
            }
        }

        foreach (var b in genesis.Balances)
        {
            s._balances[b.Id] = b.Amount;
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
        _identities.TryGetValue(id, out var r) ? r : _parent?.GetIdentity(id);

    /// <summary>The last nonce the signer used (0 if none).</summary>
    public ulong GetLastNonce(IdentityId id) => _nonces.TryGetValue(id, out var n) ? n : _parent?.GetLastNonce(id) ?? 0;

    /// <summary>The smallest nonce the signer's next transaction may use.</summary>
    public ulong GetNextNonce(IdentityId id) => GetLastNonce(id) + 1;

    /// <summary>The Healthcoin balance.</summary>
    public ulong GetBalance(IdentityId id) => _balances.TryGetValue(id, out var b) ? b : _parent?.GetBalance(id) ?? 0;

    /// <summary>The paid credit a patient holds with a doctor (what the doctor may still consume by diagnoses).</summary>
    public ulong GetCredit(IdentityId doctor, IdentityId patient) =>
        _credits.TryGetValue((doctor, patient), out var c) ? c : _parent?.GetCredit(doctor, patient) ?? 0;

    /// <summary>A patient's key state, or null when the id is not a registered patient.</summary>
    public PatientKeys? GetPatientKeys(IdentityId patient)
    {
        var p = GetPatient(patient);
        return p is null ? null : new PatientKeys(patient, p.Epoch, p.CurrentDoctors, p.LatestKeyTransaction, p.LastBatch);
    }

    /// <summary>True when a transaction with this id is committed (or, in a fork, applied).</summary>
    public bool ContainsTransaction(ReadOnlySpan<byte> id) => FindTx(id.ToArray()) is not null;

    /// <summary>Where a committed transaction is, or null.</summary>
    public TxLocation? FindTransaction(ReadOnlySpan<byte> id) => FindTx(id.ToArray())?.Location;

    /// <summary>Number of committed transactions.</summary>
    public int TransactionCount => _txIndex.Count + (_parent?.TransactionCount ?? 0);

    /// <summary>
    /// Locations of the transactions a party takes part in (as signer, recipient, registered identity, authorised
    /// doctor or diagnosed patient) on <paramref name="chain"/> at or above <paramref name="fromHeight"/>, in ledger order.
    /// </summary>
    public IReadOnlyList<TxLocation> GetPartyTransactions(IdentityId party, ChainId chain, ulong fromHeight, int limit)
    {
        var root = Root;
        if (!root._parties.TryGetValue(party, out var list))
        {
            return [];
        }

        // Locations are appended in commit order, so heights per chain ascend: binary-search-free scan from the end is
        // not needed for correctness; a forward scan with early limit is enough for the sizes we serve.
        var result = new List<TxLocation>();
        foreach (var l in list)
        {
            if (l.Chain == chain && l.Height >= fromHeight)
            {
                result.Add(l);
                if (result.Count >= limit)
                {
                    break;
                }
            }
        }

        return result;
    }

    private LedgerState Root => _parent?.Root ?? this;

    private PatientState? GetPatient(IdentityId id) => _patients.TryGetValue(id, out var p) ? p : _parent?.GetPatient(id);

    private TxEntry? FindTx(byte[] id) => _txIndex.TryGetValue(id, out var e) ? e : _parent?.FindTx(id);

    // ---------------------------------------------------------------- validation

    /// <summary>
    /// Checks <paramref name="tx"/> against this state without changing it. With <paramref name="verifySignature"/>
    /// false the caller vouches that the signature was verified before (it cannot change: the id is the signer's key hash).
    /// </summary>
    /// <returns>Null when valid; else why not.</returns>
    public Rejection? Validate(Transaction tx, bool verifySignature = true)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return Check(tx, verifySignature, out _);
    }

    /// <summary>Validates and, when valid, applies one transaction as if at <paramref name="location"/>.</summary>
    /// <returns>Null when applied; else why it was refused (and the state is unchanged).</returns>
    public Rejection? TryApply(Transaction tx, TxLocation location, bool verifySignature = true)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var r = Check(tx, verifySignature, out var signer);
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
        var r = CheckHeader(block);
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
        var txs = block.Transactions;
        var keys = new PublicIdentity?[txs.Count];
        for (var i = 0; i < txs.Count; i++)
        {
            keys[i] = GetIdentity(txs[i].Body.Signer)?.Keys ?? SelfRegistration(txs[i]);
        }

        var result = new bool?[txs.Count];
        Parallel.For(0, txs.Count, i =>
        {
            if (keys[i] is { } k)
            {
                result[i] = SignatureVerifier.Verify(k, txs[i]);
            }
        });
        return result;
    }

    private Rejection? CheckHeader(Block block)
    {
        var h = block.Header;
        var tip = Tip(h.Chain);
        var name = LedgerText.ChainName(h.Chain);
        if (h.Height != tip.BlockCount)
        {
            return new(RejectReason.BlockHeightMismatch, $"{name} block has height {h.Height} but the chain expects {tip.BlockCount}");
        }

        if (!h.PreviousHash.AsSpan().SequenceEqual(tip.LastHash))
        {
            return new(RejectReason.BlockLinkBroken, $"{name} block {h.Height} does not link to the hash of block {h.Height - 1}");
        }

        if (!block.MerkleRootMatches())
        {
            return new(RejectReason.BlockMerkleRootMismatch, $"{name} block {h.Height}: the Merkle root does not match its transactions");
        }

        var proposer = GetIdentity(h.Proposer);
        if (proposer is null || proposer.Role != Role.AccountingNode)
        {
            return new(RejectReason.BlockUnknownProposer, $"{name} block {h.Height}: proposer {h.Proposer} is not a registered accounting node");
        }

        if (!block.VerifyProposer(proposer.Keys))
        {
            return new(RejectReason.BlockBadSignature, $"{name} block {h.Height}: the proposer's signature does not verify");
        }

        var last = LastBlockTimeMs;
        if (h.TimeMs <= last)
        {
            return new(RejectReason.BlockTimeRegressed, $"{name} block {h.Height} is timed {h.TimeMs}, not after the latest block of either chain ({last})");
        }

        return null;
    }

    private static PublicIdentity? SelfRegistration(Transaction tx)
    {
        if (tx.Body.Payload is RegisterPayload { Role: Role.Patient } reg)
        {
            try
            {
                var identity = reg.Identity();
                return identity.Id == tx.Body.Signer ? identity : null;
            }
            catch (CryptoException)
            {
                return null;
            }
        }

        return null;
    }

    private Rejection? Check(Transaction tx, bool verifySignature, out IdentityRecord? signer)
    {
        var body = tx.Body;
        signer = GetIdentity(body.Signer);
        if (FindTx(tx.IdBytes) is not null)
        {
            return new(RejectReason.DuplicateTransaction, $"transaction {tx.IdHex} is already on the ledger");
        }

        PublicIdentity key;
        if (signer is not null)
        {
            key = signer.Keys;
        }
        else if (body.Payload is RegisterPayload reg && reg.Role == Role.Patient)
        {
            PublicIdentity self;
            try
            {
                self = reg.Identity();
            }
            catch (CryptoException e)
            {
                return new(RejectReason.Malformed, $"the registered keys are invalid: {e.Message}");
            }

            if (self.Id != body.Signer)
            {
                return new(RejectReason.UnknownSigner, $"signer {body.Signer} is not registered");
            }

            key = self;
            signer = new IdentityRecord(self, Role.Patient, reg.Name, body.Signer);
        }
        else
        {
            return new(RejectReason.UnknownSigner, $"signer {body.Signer} is not registered");
        }

        if (verifySignature && !SignatureVerifier.Verify(key, tx))
        {
            return new(RejectReason.BadSignature, $"the signature of {tx.IdHex} does not verify under {body.Signer}'s key");
        }

        var last = GetLastNonce(body.Signer);
        if (body.Nonce <= last)
        {
            return new(RejectReason.ReplayedNonce, $"nonce {body.Nonce} is not above {body.Signer}'s last nonce {last}");
        }

        return body.Payload switch
        {
            RegisterPayload p => CheckRegister(body, signer, p),
            IssuePayload p => CheckIssue(signer, p),
            PaymentPayload p => CheckPayment(body, signer, p),
            KeyPayload p => CheckKey(body, signer, p),
            IotPayload p => CheckIot(body, signer, p),
            DiagnosisPayload p => CheckDiagnosis(body, signer, p),
            _ => new(RejectReason.Malformed, $"unknown payload {body.Payload.GetType().Name}"),
        };
    }

    private Rejection? CheckRegister(TransactionBody body, IdentityRecord signer, RegisterPayload p)
    {
        PublicIdentity identity;
        try
        {
            identity = p.Identity();
        }
        catch (CryptoException e)
        {
            return new(RejectReason.Malformed, $"the registered keys are invalid: {e.Message}");
        }

        if (GetIdentity(identity.Id) is not null)
        {
            return new(RejectReason.AlreadyRegistered, $"identity {identity.Id} is already registered");
        }

        var allowed = signer.Role switch
        {
            Role.Admin => true,
            Role.Patient when identity.Id == body.Signer => p.Role == Role.Patient,
            Role.Patient => p.Role == Role.Device,
            _ => false,
        };
        return allowed
            ? null
            : new(RejectReason.RegistrationNotAllowed, $"a {LedgerNames.RoleName(signer.Role)} may not register a {LedgerNames.RoleName(p.Role)} (admins register doctors, nodes and admins; patients register themselves and their devices)");
    }

    private Rejection? CheckIssue(IdentityRecord signer, IssuePayload p)
    {
        if (signer.Role != Role.Admin)
        {
            return WrongRole(signer, "issue Healthcoin");
        }

        if (GetIdentity(p.To) is null)
        {
            return new(RejectReason.InvalidRecipient, $"recipient {p.To} is not registered");
        }

        return GetBalance(p.To) > ulong.MaxValue - p.Amount
            ? new(RejectReason.AmountOverflow, $"issuing {p.Amount} would overflow {p.To}'s balance")
            : null;
    }

    private Rejection? CheckPayment(TransactionBody body, IdentityRecord signer, PaymentPayload p)
    {
        if (signer.Role != Role.Patient)
        {
            return WrongRole(signer, "pay a doctor");
        }

        if (GetIdentity(p.To) is not { Role: Role.Doctor })
        {
            return new(RejectReason.InvalidRecipient, $"recipient {p.To} is not a registered doctor");
        }

        var balance = GetBalance(body.Signer);
        if (balance < p.Amount)
        {
            return new(RejectReason.InsufficientBalance, $"paying {p.Amount} exceeds the balance of {balance}");
        }

        return GetCredit(p.To, body.Signer) > ulong.MaxValue - p.Amount
            ? new(RejectReason.AmountOverflow, $"paying {p.Amount} would overflow the paid credit")
            : null;
    }

    private Rejection? CheckKey(TransactionBody body, IdentityRecord signer, KeyPayload p)
    {
        if (signer.Role != Role.Patient)
        {
            return WrongRole(signer, "publish key transactions");
        }

        var current = GetPatient(body.Signer)?.Epoch ?? 0;
        if (p.Epoch <= current)
        {
            return new(RejectReason.EpochNotAdvanced, $"key epoch {p.Epoch} does not advance the current epoch {current}");
        }

        foreach (var e in p.Envelopes)
        {
            if (GetIdentity(e.Doctor) is not { Role: Role.Doctor })
            {
                return new(RejectReason.EnvelopeForNonDoctor, $"an envelope names {e.Doctor}, which is not a registered doctor");
            }
        }

        return null;
    }

    private Rejection? CheckIot(TransactionBody body, IdentityRecord signer, IotPayload p)
    {
        if (signer.Role != Role.Patient)
        {
            return WrongRole(signer, "publish IoT transactions");
        }

        var patient = GetPatient(body.Signer) ?? PatientState.New;
        if (p.Epoch != patient.Epoch)
        {
            return new(RejectReason.StaleEpoch, $"IoT batch is under epoch {p.Epoch} but the patient's current epoch is {patient.Epoch}");
        }

        return patient.LastBatch is { } lastBatch && p.Batch <= lastBatch
            ? new(RejectReason.BatchReused, $"batch {p.Batch} is not above the last batch {lastBatch}")
            : null;
    }

    private Rejection? CheckDiagnosis(TransactionBody body, IdentityRecord signer, DiagnosisPayload p)
    {
        if (signer.Role != Role.Doctor)
        {
            return WrongRole(signer, "write diagnoses");
        }

        if (GetIdentity(p.Patient) is not { Role: Role.Patient })
        {
            return new(RejectReason.UnknownPatient, $"{p.Patient} is not a registered patient");
        }

        var patient = GetPatient(p.Patient) ?? PatientState.New;
        if (!patient.Authorised(p.Epoch, body.Signer))
        {
            return new(RejectReason.DoctorNotAuthorised, $"doctor {body.Signer} holds no keys of patient {p.Patient} for epoch {p.Epoch}");
        }

        if (!patient.Authorised(patient.Epoch, body.Signer))
        {
            return new(RejectReason.DoctorNotAuthorised, $"doctor {body.Signer} is no longer authorised by patient {p.Patient} (current epoch {patient.Epoch})");
        }

        foreach (var id in p.Covers)
        {
            if (FindTx(id) is not { Type: TransactionType.Iot } e || e.Subject != p.Patient)
            {
                return new(RejectReason.InvalidCoveredTransaction, $"covered transaction {Convert.ToHexStringLower(id)} is not a committed IoT transaction of {p.Patient}");
            }
        }

        if (p.Follows is { } follows && (FindTx(follows) is not { Type: TransactionType.Diagnosis } f || f.Subject != p.Patient))
        {
            return new(RejectReason.InvalidFollowedDiagnosis, $"followed transaction {Convert.ToHexStringLower(follows)} is not a committed diagnosis about {p.Patient}");
        }

        var credit = GetCredit(body.Signer, p.Patient);
        if (credit < DiagnosisFee)
        {
            return new(RejectReason.InsufficientCredit, $"paid credit {credit} does not cover the diagnosis fee {DiagnosisFee}");
        }

        return GetBalance(body.Signer) > ulong.MaxValue - DiagnosisFee
            ? new(RejectReason.AmountOverflow, "the fee would overflow the doctor's balance")
            : null;
    }

    private static Rejection WrongRole(IdentityRecord signer, string what) =>
        new(RejectReason.WrongRole, $"a {LedgerNames.RoleName(signer.Role)} may not {what}");

    // ---------------------------------------------------------------- application

    private void Apply(Transaction tx, TxLocation location, IdentityRecord signer)
    {
        var body = tx.Body;
        _nonces[body.Signer] = body.Nonce;
        var subject = body.Signer;
        AddParty(body.Signer, location);
        switch (body.Payload)
        {
            case RegisterPayload p:
                var identity = p.Identity();
                var registeredBy = identity.Id == body.Signer ? body.Signer : signer.Id;
                _identities[identity.Id] = new IdentityRecord(identity, p.Role, p.Name, registeredBy);
                if (p.Role == Role.Patient)
                {
                    _patients[identity.Id] = PatientState.New;
                }

                if (identity.Id != body.Signer)
                {
                    AddParty(identity.Id, location);
                }

                subject = identity.Id;
                break;
            case IssuePayload p:
                _balances[p.To] = GetBalance(p.To) + p.Amount;
                AddParty(p.To, location);
                break;
            case PaymentPayload p:
                _balances[body.Signer] = GetBalance(body.Signer) - p.Amount;
                _credits[(p.To, body.Signer)] = GetCredit(p.To, body.Signer) + p.Amount;
                AddParty(p.To, location);
                break;
            case KeyPayload p:
            {
                var patient = GetPatient(body.Signer) ?? PatientState.New;
                var doctors = p.Envelopes.Select(e => e.Doctor).Order().ToImmutableArray();
                _patients[body.Signer] = patient with { Epoch = p.Epoch, Epochs = patient.Epochs.SetItem(p.Epoch, doctors), LatestKeyTransaction = tx.IdBytes };
                foreach (var d in doctors)
                {
                    AddParty(d, location);
                }

                break;
            }

            case IotPayload p:
            {
                var patient = GetPatient(body.Signer) ?? PatientState.New;
                _patients[body.Signer] = patient with { LastBatch = p.Batch };
                break;
            }

            case DiagnosisPayload p:
                _credits[(body.Signer, p.Patient)] = GetCredit(body.Signer, p.Patient) - DiagnosisFee;
                _balances[body.Signer] = GetBalance(body.Signer) + DiagnosisFee;
                AddParty(p.Patient, location);
                subject = p.Patient;
                break;
        }

        _txIndex[tx.IdBytes] = new TxEntry(location, body.Type, subject);
    }

    private void AddParty(IdentityId party, TxLocation location)
    {
        if (_parent is null)
        {
            AddPartyToRoot(party, location);
        }
        else
        {
            _pendingParties.Add((party, location));
        }
    }

    private void AddPartyToRoot(IdentityId party, TxLocation location)
    {
        if (!_parties.TryGetValue(party, out var list))
        {
            _parties[party] = list = [];
        }

        if (list.Count == 0 || list[^1] != location)
        {
            list.Add(location);
        }
    }

    private void MergeIntoParent()
    {
        var p = _parent ?? throw new InvalidOperationException("Only a fork merges into its parent.");
        foreach (var kv in _identities)
        {
            p._identities[kv.Key] = kv.Value;
        }

        foreach (var kv in _nonces)
        {
            p._nonces[kv.Key] = kv.Value;
        }

        foreach (var kv in _balances)
        {
            p._balances[kv.Key] = kv.Value;
        }

        foreach (var kv in _credits)
        {
            p._credits[kv.Key] = kv.Value;
        }

        foreach (var kv in _patients)
        {
            p._patients[kv.Key] = kv.Value;
        }

        foreach (var kv in _txIndex)
        {
            p._txIndex[kv.Key] = kv.Value;
        }

        foreach (var (party, location) in _pendingParties)
        {
            p.AddParty(party, location);
        }

        p._tips[0] = _tips[0];
        p._tips[1] = _tips[1];
    }

    /// <summary>
    /// Adds a committed block that is already reflected in this state (restored from a snapshot) to the indexes only.
    /// </summary>
    internal void IndexRestoredBlock(Block block)
    {
        var chain = block.Header.Chain;
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var tx = block.Transactions[i];
            var location = new TxLocation(chain, block.Header.Height, i);
            var body = tx.Body;
            var subject = body.Signer;
            AddParty(body.Signer, location);
            switch (body.Payload)
            {
                case RegisterPayload p:
                    var id = IdentityId.FromSigningKey(p.SigningKey);
                    AddParty(id, location);
                    subject = id;
                    break;
                case IssuePayload p:
                    AddParty(p.To, location);
                    break;
                case PaymentPayload p:
                    AddParty(p.To, location);
                    break;
                case KeyPayload p:
                    foreach (var e in p.Envelopes)
                    {
                        AddParty(e.Doctor, location);
                    }

                    break;
                case DiagnosisPayload p:
                    AddParty(p.Patient, location);
                    subject = p.Patient;
                    break;
            }

            _txIndex[tx.IdBytes] = new TxEntry(location, body.Type, subject);
        }
    }

    private static int ChainIndex(ChainId chain) => chain switch
    {
        ChainId.Userchain => 0,
        ChainId.Docchain => 1,
        _ => throw new ProtocolException(ProtocolError.InvalidField, $"Unknown chain {(byte)chain}."),
    };

    // ---------------------------------------------------------------- snapshot and hash (see StateCodec)

    internal IEnumerable<IdentityRecord> AllIdentities => Root._identities.Values;

    internal IReadOnlyDictionary<IdentityId, ulong> AllNonces => Root._nonces;

    internal IReadOnlyDictionary<IdentityId, ulong> AllBalances => Root._balances;

    internal IReadOnlyDictionary<(IdentityId Doctor, IdentityId Patient), ulong> AllCredits => Root._credits;

    internal IReadOnlyDictionary<IdentityId, PatientState> AllPatients => Root._patients;

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

    internal void RestoreFrom(StateCodec.Snapshot s)
    {
        _tips[0] = s.Userchain;
        _tips[1] = s.Docchain;
        foreach (var i in s.Identities)
        {
            _identities[i.Id] = i;
        }

        foreach (var (k, v) in s.Nonces)
        {
            _nonces[k] = v;
        }

        foreach (var (k, v) in s.Balances)
        {
            _balances[k] = v;
        }

        foreach (var (k, v) in s.Credits)
        {
            _credits[k] = v;
        }

        foreach (var (k, v) in s.Patients)
        {
            _patients[k] = v;
        }
    }

    /// <summary>Serialises the committed state (everything but the indexes, which are rebuilt from the blocks).</summary>
    public byte[] ToSnapshot() => StateCodec.Encode(this);

    /// <summary>Restores a committed state from <see cref="ToSnapshot"/> bytes; the genesis must be the one it grew from.</summary>
    /// <exception cref="ProtocolException">Malformed snapshot or a different genesis.</exception>
    public static LedgerState FromSnapshot(Genesis genesis, ReadOnlyMemory<byte> snapshot)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var s = StateCodec.Decode(snapshot);
        if (!s.GenesisHash.AsSpan().SequenceEqual(genesis.Hash))
        {
            throw new ProtocolException(ProtocolError.InvalidField, "The state snapshot was made from a different genesis.");
        }

        var state = new LedgerState(genesis, null);
        state.RestoreFrom(s);
        return state;
    }
}
