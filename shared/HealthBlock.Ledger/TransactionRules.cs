using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The validation rules of single transactions against a <see cref="LedgerState"/>: not a duplicate, a known signer (an
/// identity registering itself is refused as <see cref="RejectReason.SelfRegistrationRefused"/>), a valid signature, an advancing nonce, then the rules of each transaction kind
/// (who may register whom, issue, pay, publish keys and IoT batches, write diagnoses). Pure: the state is only read.
/// </summary>
internal static class TransactionRules
{
    /// <summary>
    /// Checks <paramref name="tx"/> against <paramref name="state"/>; <paramref name="signer"/> is the signer's record.
    /// </summary>
    /// <returns>Null when valid; else why not.</returns>
    public static Rejection? Check(LedgerState state, Transaction tx, bool verifySignature, out IdentityRecord? signer)
    {
        var body = tx.Body;
        signer = state.GetIdentity(body.Signer);
        if (body.Network != state.Genesis.NetworkId)
        {
            return new(RejectReason.WrongNetwork, $"transaction {tx.IdHex} was signed for network {body.Network.Short}…, not this ledger's {state.Genesis.NetworkId.Short}… ({state.Genesis.Network})");
        }

        // A committed transaction has a nonce at or below its signer's last one, so only such a nonce needs the index.
        if (body.Nonce <= state.GetLastNonce(body.Signer) && state.FindEntry(tx.IdBytes) is not null)
        {
            return new(RejectReason.DuplicateTransaction, $"transaction {tx.IdHex} is already on the ledger");
        }

        PublicIdentity key;
        if (signer is not null)
        {
            key = signer.Keys;
        }
        else if (body.Payload is RegisterPayload reg && RegistersItself(reg, body.Signer))
        {
            return new(RejectReason.SelfRegistrationRefused, $"identity {body.Signer} may not register itself: an admin registers patients and doctors from their exported identity");
        }
        else
        {
            return new(RejectReason.UnknownSigner, $"signer {body.Signer} is not registered");
        }

        if (verifySignature && !SignatureVerifier.Verify(key, tx))
        {
            return new(RejectReason.BadSignature, $"the signature of {tx.IdHex} does not verify under {body.Signer}'s key");
        }

        var last = state.GetLastNonce(body.Signer);
        if (body.Nonce <= last)
        {
            return new(RejectReason.ReplayedNonce, $"nonce {body.Nonce} is not above {body.Signer}'s last nonce {last}");
        }

        return body.Payload switch
        {
            RegisterPayload p => CheckRegister(state, body, signer, p),
            IssuePayload p => CheckIssue(state, signer, p),
            PaymentPayload p => CheckPayment(state, body, signer, p),
            KeyPayload p => CheckKey(state, body, signer, p),
            IotPayload p => CheckIot(state, body, signer, p),
            DiagnosisPayload p => CheckDiagnosis(state, body, signer, p),
            _ when StatisticsRules.Covers(body.Payload) => StatisticsRules.Check(state, body, signer),
            _ => new(RejectReason.Malformed, $"unknown payload {body.Payload.GetType().Name}"),
        };
    }

    private static bool RegistersItself(RegisterPayload registration, IdentityId signer)
    {
        try
        {
            return registration.Identity().Id == signer;
        }
        catch (CryptoException)
        {
            return false;
        }
    }

    private static Rejection? CheckRegister(LedgerState state, TransactionBody body, IdentityRecord signer, RegisterPayload p)
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

        if (state.GetIdentity(identity.Id) is not null)
        {
            return new(RejectReason.AlreadyRegistered, $"identity {identity.Id} is already registered");
        }

        var allowed = signer.Role switch
        {
            Role.Admin => true,
            Role.Patient => p.Role == Role.Device,
            _ => false,
        };
        return allowed
            ? null
            : new(RejectReason.RegistrationNotAllowed, $"a {LedgerNames.RoleName(signer.Role)} may not register a {LedgerNames.RoleName(p.Role)} (admins register patients, doctors, nodes and admins; patients register their devices)");
    }

    private static Rejection? CheckIssue(LedgerState state, IdentityRecord signer, IssuePayload p)
    {
        if (signer.Role != Role.Admin)
        {
            return WrongRole(signer, "issue Healthcoin");
        }

        if (state.GetIdentity(p.To) is null)
        {
            return new(RejectReason.InvalidRecipient, $"recipient {p.To} is not registered");
        }

        return state.GetBalance(p.To) > ulong.MaxValue - p.Amount
            ? new(RejectReason.AmountOverflow, $"issuing {p.Amount} would overflow {p.To}'s balance")
            : null;
    }

    private static Rejection? CheckPayment(LedgerState state, TransactionBody body, IdentityRecord signer, PaymentPayload p)
    {
        if (signer.Role != Role.Patient)
        {
            return WrongRole(signer, "pay a doctor");
        }

        if (state.GetIdentity(p.To) is not { Role: Role.Doctor })
        {
            return new(RejectReason.InvalidRecipient, $"recipient {p.To} is not a registered doctor");
        }

        var balance = state.GetBalance(body.Signer);
        if (balance < p.Amount)
        {
            return new(RejectReason.InsufficientBalance, $"paying {p.Amount} exceeds the balance of {balance}");
        }

        return state.GetCredit(p.To, body.Signer) > ulong.MaxValue - p.Amount
            ? new(RejectReason.AmountOverflow, $"paying {p.Amount} would overflow the paid credit")
            : null;
    }

    private static Rejection? CheckKey(LedgerState state, TransactionBody body, IdentityRecord signer, KeyPayload p)
    {
        if (signer.Role != Role.Patient)
        {
            return WrongRole(signer, "publish key transactions");
        }

        var current = state.GetPatient(body.Signer)?.Epoch ?? 0;
        if (p.Epoch <= current)
        {
            return new(RejectReason.EpochNotAdvanced, $"key epoch {p.Epoch} does not advance the current epoch {current}");
        }

        foreach (var e in p.Envelopes)
        {
            if (state.GetIdentity(e.Doctor) is not { Role: Role.Doctor })
            {
                return new(RejectReason.EnvelopeForNonDoctor, $"an envelope names {e.Doctor}, which is not a registered doctor");
            }
        }

        return null;
    }

    private static Rejection? CheckIot(LedgerState state, TransactionBody body, IdentityRecord signer, IotPayload p)
    {
        if (signer.Role != Role.Patient)
        {
            return WrongRole(signer, "publish IoT transactions");
        }

        var patient = state.GetPatient(body.Signer) ?? PatientState.New;
        if (p.Epoch != patient.Epoch)
        {
            return new(RejectReason.StaleEpoch, $"IoT batch is under epoch {p.Epoch} but the patient's current epoch is {patient.Epoch}");
        }

        if (patient.LastBatch is { } lastBatch && p.Batch <= lastBatch)
        {
            return new(RejectReason.BatchReused, $"batch {p.Batch} is not above the last batch {lastBatch}");
        }

        // Live sub-batches are sealed with nonce IOTL ‖ sequence under the epoch's key: a range that does not start above
        // the last one committed in this epoch would mean a sequence (and so a key and nonce pair) used twice.
        return p.Live is { } live && patient.LastLive is { } lastLive && live.FirstSequence <= lastLive
            ? new(RejectReason.LiveSequenceReused, $"live sub-batches {live.FirstSequence}-{live.LastSequence} do not start above the last committed live sequence {lastLive} of epoch {patient.Epoch}")
            : null;
    }

    private static Rejection? CheckDiagnosis(LedgerState state, TransactionBody body, IdentityRecord signer, DiagnosisPayload p)
    {
        if (signer.Role != Role.Doctor)
        {
            return WrongRole(signer, "write diagnoses");
        }

        if (state.GetIdentity(p.Patient) is not { Role: Role.Patient })
        {
            return new(RejectReason.UnknownPatient, $"{p.Patient} is not a registered patient");
        }

        var patient = state.GetPatient(p.Patient) ?? PatientState.New;
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
            if (state.FindEntry(id) is not { Type: TransactionType.Iot } e || e.Subject != p.Patient)
            {
                return new(RejectReason.InvalidCoveredTransaction, $"covered transaction {Convert.ToHexStringLower(id)} is not a committed IoT transaction of {p.Patient}");
            }
        }

        if (p.Follows is { } follows && (state.FindEntry(follows) is not { Type: TransactionType.Diagnosis } f || f.Subject != p.Patient))
        {
            return new(RejectReason.InvalidFollowedDiagnosis, $"followed transaction {Convert.ToHexStringLower(follows)} is not a committed diagnosis about {p.Patient}");
        }

        var credit = state.GetCredit(body.Signer, p.Patient);
        if (credit < state.DiagnosisFee)
        {
            return new(RejectReason.InsufficientCredit, $"paid credit {credit} does not cover the diagnosis fee {state.DiagnosisFee}");
        }

        return state.GetBalance(body.Signer) > ulong.MaxValue - state.DiagnosisFee
            ? new(RejectReason.AmountOverflow, "the fee would overflow the doctor's balance")
            : null;
    }

    internal static Rejection WrongRole(IdentityRecord signer, string what) =>
        new(RejectReason.WrongRole, $"a {LedgerNames.RoleName(signer.Role)} may not {what}");
}
