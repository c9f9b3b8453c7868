namespace HealthBlock.Ledger;

/// <summary>
/// Why the ledger refused a transaction or a block. Each value is a distinct, machine-readable reason; the numeric
/// values are part of the HTTP API and never change meaning.
/// </summary>
public enum RejectReason
{
    /// <summary>Not a rejection.</summary>
    None = 0,

    /// <summary>The bytes are not a canonical transaction (or block).</summary>
    Malformed = 1,

    /// <summary>The signature does not verify under the signer's registered key.</summary>
    BadSignature = 2,

    /// <summary>The signer is not a registered identity.</summary>
    UnknownSigner = 3,

    /// <summary>The signer's role may not write this kind of transaction (e.g. a doctor publishing IoT data).</summary>
    WrongRole = 4,

    /// <summary>The signer may not register an identity with the requested role.</summary>
    RegistrationNotAllowed = 5,

    /// <summary>The identity is already registered.</summary>
    AlreadyRegistered = 6,

    /// <summary>The nonce is not above the signer's last nonce (a replay or a reordering).</summary>
    ReplayedNonce = 7,

    /// <summary>An IoT transaction names an epoch other than the patient's current one.</summary>
    StaleEpoch = 8,

    /// <summary>A key transaction does not advance the patient's epoch.</summary>
    EpochNotAdvanced = 9,

    /// <summary>A key transaction has an envelope for an identity that is not a registered doctor.</summary>
    EnvelopeForNonDoctor = 10,

    /// <summary>The doctor is not authorised for the patient at the diagnosis epoch, or no longer authorised now.</summary>
    DoctorNotAuthorised = 11,

    /// <summary>The doctor's paid credit with the patient does not cover the diagnosis fee.</summary>
    InsufficientCredit = 12,

    /// <summary>The payer's balance does not cover the payment.</summary>
    InsufficientBalance = 13,

    /// <summary>A transaction with this id is already on the ledger (or pending).</summary>
    DuplicateTransaction = 14,

    /// <summary>The recipient of a payment or issuance is not registered, or a payment is to a non-doctor.</summary>
    InvalidRecipient = 15,

    /// <summary>The diagnosis names an identity that is not a registered patient.</summary>
    UnknownPatient = 16,

    /// <summary>An IoT batch number is not above the patient's last batch (AES-GCM nonce reuse).</summary>
    BatchReused = 17,

    /// <summary>A diagnosis covers a transaction that is not a committed IoT transaction of that patient.</summary>
    InvalidCoveredTransaction = 18,

    /// <summary>A diagnosis follows a transaction that is not a committed diagnosis about that patient.</summary>
    InvalidFollowedDiagnosis = 19,

    /// <summary>An amount would overflow a balance or credit.</summary>
    AmountOverflow = 20,

    /// <summary>The transaction belongs to the other chain.</summary>
    WrongChain = 21,

    /// <summary>The transaction was signed for another network (its body names another genesis).</summary>
    WrongNetwork = 22,

    /// <summary>An IoT transaction's live sub-batches do not start above the last live sequence committed in the epoch (AES-GCM nonce reuse).</summary>
    LiveSequenceReused = 23,

    /// <summary>A statistics key is malformed or weaker than 2048 bits, or the identity published one already.</summary>
    StatisticsKeyRefused = 30,

    /// <summary>A statistics transaction names an identity that is not a statistics identity (with a published key, where one is needed).</summary>
    NotStatisticsIdentity = 31,

    /// <summary>The patient has not opted in to the statistics identity for that period, or has opted out since.</summary>
    ConsentMissing = 32,

    /// <summary>A consent transaction's time is not after the patient's previous consent change.</summary>
    ConsentRegressed = 33,

    /// <summary>A contribution's period is longer than an hour or not in whole seconds.</summary>
    InvalidPeriod = 34,

    /// <summary>A contribution's period starts before the end of the patient's last contribution (one per patient per period).</summary>
    PeriodOverlaps = 35,

    /// <summary>A contribution's ciphertext is not valid under the published key (0 &lt; c &lt; n², gcd(c, n) = 1, the key's fingerprint), or their number is wrong.</summary>
    InvalidCiphertext = 36,

    /// <summary>A statistics policy's k is below 2 or above what a decryption record can list.</summary>
    InvalidStatisticsPolicy = 37,

    /// <summary>A decryption record's cohort is smaller than k, or it names a k below the policy's.</summary>
    CohortBelowK = 38,

    /// <summary>A decryption record names a requester who may not ask, a cohort member who is not a patient, or fewer contributions than patients.</summary>
    InvalidCohort = 39,

    /// <summary>
    /// An unregistered identity registered itself. Patients, like doctors, are registered by an admin from their exported
    /// identity (<c>healthblock identity export</c>, <c>healthblock admin register</c>); nobody joins the ledger alone.
    /// </summary>
    SelfRegistrationRefused = 24,

    /// <summary>A block's height does not follow the chain tip.</summary>
    BlockHeightMismatch = 40,

    /// <summary>A block's previous hash is not the hash of the chain tip.</summary>
    BlockLinkBroken = 41,

    /// <summary>A block's Merkle root does not match its transactions.</summary>
    BlockMerkleRootMismatch = 42,

    /// <summary>A block's proposer is not a registered accounting node.</summary>
    BlockUnknownProposer = 43,

    /// <summary>A block's proposer signature does not verify.</summary>
    BlockBadSignature = 44,

    /// <summary>A block's time is before its predecessor's.</summary>
    BlockTimeRegressed = 45,

    /// <summary>A block holds a transaction that fails validation.</summary>
    BlockInvalidTransaction = 46,

    /// <summary>Audit: the genesis a node serves does not hash to the genesis hash it reports.</summary>
    GenesisMismatch = 47,

    /// <summary>Audit or startup: a block below the reported height is missing or unreadable.</summary>
    BlockMissing = 48,

    /// <summary>Audit: re-applying the chains gives a state hash other than the one the node reports.</summary>
    StateHashMismatch = 49,

    /// <summary>A block's header names another network than this ledger's genesis.</summary>
    BlockWrongNetwork = 50,

    /// <summary>
    /// Audit: a block at a height an earlier audit checkpointed has another hash, or the chain no longer reaches that
    /// height: its history was rewritten or truncated (the new blocks may be valid in themselves).
    /// </summary>
    HistoryRewritten = 51,

    /// <summary>This node is not the leader and could not forward the submission.</summary>
    NoLeader = 60,

    /// <summary>Leadership changed before the transaction was committed; submit it again.</summary>
    LeadershipLost = 61,

    /// <summary>The node refuses to serve the chain (its stored copy failed verification).</summary>
    ChainUnavailable = 62,

    /// <summary>Too many transactions are pending; try again later.</summary>
    Overloaded = 63,

    /// <summary>The transaction was not committed within the time waited.</summary>
    Timeout = 64,

    /// <summary>A read was not signed by a registered identity, or its signature, time or nonce did not check (HTTP 401).</summary>
    Unauthenticated = 70,

    /// <summary>A read's caller may not read what it asked for (HTTP 403).</summary>
    Forbidden = 71,
}
