using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

public sealed class ValidationTests : IDisposable
{
    private readonly World _w = new(fee: 10);

    public void Dispose() => _w.Dispose();

    private RejectReason Reason(Transaction tx) => _w.State.Validate(tx)?.Reason ?? RejectReason.None;

    [Fact]
    public void The_whole_happy_path_applies_and_moves_the_money()
    {
        var (patient, ps) = _w.Patient(balance: 100);
        var (doctor, ds) = _w.Doctor();
        _w.Commit(ps.Sign(World.Keys(1, doctor)), ps.Sign(new PaymentPayload(doctor.Id, 30)));
        var iot = ps.Sign(World.Iot(1, 0));
        _w.Commit(iot);
        _w.Commit(ds.Sign(World.Diagnosis(patient.Id, 1, iot)));

        Assert.Equal(70UL, _w.State.GetBalance(patient.Id));
        Assert.Equal(20UL, _w.State.GetCredit(doctor.Id, patient.Id));
        Assert.Equal(10UL, _w.State.GetBalance(doctor.Id));
        var keys = _w.State.GetPatientKeys(patient.Id)!;
        Assert.Equal(1U, keys.Epoch);
        Assert.Equal([doctor.Id], keys.Doctors);
        Assert.Equal(4UL, _w.State.GetNextNonce(patient.Id));
        Assert.Equal(new TxLocation(ChainId.Userchain, 4, 0), _w.State.FindTransaction(iot.Id));
        Assert.Equal(3, _w.State.GetPartyTransactions(doctor.Id, ChainId.Userchain, 0, 100).Count);
        Assert.Single(_w.State.GetPartyTransactions(doctor.Id, ChainId.Docchain, 0, 100));
        Assert.Equal(3, _w.State.GetPartyTransactions(patient.Id, ChainId.Userchain, 3, 100).Count);
    }

    [Fact]
    public void Bad_signature_is_refused()
    {
        var (_, ps) = _w.Patient();
        var other = _w.Keep(IdentityKey.Generate());
        var good = ps.Sign(World.Iot(0, 0));
        var forged = Transaction.Decode(Reencode(good, other.Sign(good.Id)));
        Assert.Equal(RejectReason.BadSignature, Reason(forged));
        Assert.Equal(RejectReason.None, Reason(good));
    }

    [Fact]
    public void An_admin_registers_an_auditor_who_may_submit_nothing_of_its_own()
    {
        var key = _w.Keep(IdentityKey.Generate());
        var (patient, _) = _w.Patient();
        _w.Commit(_w.AdminSigner.Sign(RegisterPayload.For(key.Public, Role.Auditor, "auditor")));
        Assert.Equal(Role.Auditor, _w.State.GetIdentity(key.Id)!.Role);

        var auditor = new TransactionSigner(key, _w.Network);
        var other = _w.Keep(IdentityKey.Generate());
        Assert.Equal(RejectReason.RegistrationNotAllowed, Reason(auditor.Sign(RegisterPayload.For(other.Public, Role.Doctor, "x"))));
        Assert.Equal(RejectReason.WrongRole, Reason(auditor.Sign(new IssuePayload(patient.Id, 1))));
        Assert.Equal(RejectReason.WrongRole, Reason(auditor.Sign(World.Iot(0, 0))));
    }

    [Fact]
    public void Unknown_signer_is_refused()
    {
        var stranger = new TransactionSigner(_w.Keep(IdentityKey.Generate()), _w.Network);
        Assert.Equal(RejectReason.UnknownSigner, Reason(stranger.Sign(World.Iot(0, 0))));
    }

    [Fact]
    public void Self_registration_is_refused_with_its_own_reason_and_an_admin_registers_the_exported_identity()
    {
        var patient = _w.Keep(IdentityKey.Generate());
        var itself = new TransactionSigner(patient, _w.Network).Sign(RegisterPayload.For(patient.Public, Role.Patient, "me"));
        Assert.Equal(RejectReason.SelfRegistrationRefused, Reason(itself));
        var doctor = _w.Keep(IdentityKey.Generate());
        Assert.Equal(RejectReason.SelfRegistrationRefused, Reason(new TransactionSigner(doctor, _w.Network).Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "dr"))));
        Assert.Null(_w.State.GetIdentity(patient.Id));

        _w.Commit(_w.AdminSigner.Sign(RegisterPayload.For(patient.Public, Role.Patient, "me")));
        Assert.Equal(Role.Patient, _w.State.GetIdentity(patient.Id)!.Role);
        Assert.Equal(_w.Admin.Id, _w.State.GetIdentity(patient.Id)!.RegisteredBy);
    }

    [Fact]
    public void Self_registration_of_another_identity_is_refused_as_unknown_signer()
    {
        var stranger = new TransactionSigner(_w.Keep(IdentityKey.Generate()), _w.Network);
        var someoneElse = _w.Keep(IdentityKey.Generate());
        Assert.Equal(RejectReason.UnknownSigner, Reason(stranger.Sign(RegisterPayload.For(someoneElse.Public, Role.Patient, "x"))));
    }

    [Fact]
    public void A_doctor_publishing_iot_data_is_a_wrong_role()
    {
        var (_, ds) = _w.Doctor();
        Assert.Equal(RejectReason.WrongRole, Reason(ds.Sign(World.Iot(0, 0))));
    }

    [Fact]
    public void A_patient_writing_a_diagnosis_is_a_wrong_role()
    {
        var (patient, ps) = _w.Patient();
        Assert.Equal(RejectReason.WrongRole, Reason(ps.Sign(World.Diagnosis(patient.Id, 0))));
    }

    [Fact]
    public void Only_admins_issue_and_only_patients_pay()
    {
        var (patient, ps) = _w.Patient(balance: 10);
        var (doctor, ds) = _w.Doctor();
        Assert.Equal(RejectReason.WrongRole, Reason(ps.Sign(new IssuePayload(patient.Id, 5))));
        Assert.Equal(RejectReason.WrongRole, Reason(ds.Sign(new PaymentPayload(doctor.Id, 5))));
    }

    [Theory]
    [InlineData(Role.Doctor)]
    [InlineData(Role.AccountingNode)]
    [InlineData(Role.Admin)]
    public void A_non_admin_registering_privileged_roles_is_refused(Role role)
    {
        var (_, ps) = _w.Patient();
        var (_, ds) = _w.Doctor();
        var newcomer = _w.Keep(IdentityKey.Generate());
        Assert.Equal(RejectReason.RegistrationNotAllowed, Reason(ps.Sign(RegisterPayload.For(newcomer.Public, role, "x"))));
        Assert.Equal(RejectReason.RegistrationNotAllowed, Reason(ds.Sign(RegisterPayload.For(newcomer.Public, role, "x"))));
        Assert.Equal(RejectReason.None, Reason(_w.AdminSigner.Sign(RegisterPayload.For(newcomer.Public, role, "x"))));
    }

    [Fact]
    public void Patients_register_their_devices_but_not_other_patients()
    {
        var (patient, ps) = _w.Patient();
        var device = _w.Keep(IdentityKey.Generate());
        var reg = ps.Sign(RegisterPayload.For(device.Public, Role.Device, "ecg"));
        _w.Commit(reg);
        Assert.Equal(patient.Id, _w.State.GetIdentity(device.Id)!.RegisteredBy);
        Assert.Equal(Role.Device, _w.State.GetIdentity(device.Id)!.Role);

        var other = _w.Keep(IdentityKey.Generate());
        Assert.Equal(RejectReason.RegistrationNotAllowed, Reason(ps.Sign(RegisterPayload.For(other.Public, Role.Patient, "x"))));
        var (_, ds) = _w.Doctor();
        Assert.Equal(RejectReason.RegistrationNotAllowed, Reason(ds.Sign(RegisterPayload.For(other.Public, Role.Device, "x"))));
    }

    [Fact]
    public void Registering_twice_is_refused()
    {
        var (patient, _) = _w.Patient();
        Assert.Equal(RejectReason.AlreadyRegistered, Reason(_w.AdminSigner.Sign(RegisterPayload.For(patient.Public, Role.Doctor, "x"))));
    }

    [Fact]
    public void A_replayed_or_lower_nonce_is_refused()
    {
        var (patient, ps) = _w.Patient();
        _w.Commit(ps.Sign(World.Iot(0, 0)));
        var replay = Transaction.Sign(new TransactionBody(_w.Network, patient.Id, 1, 5, World.Iot(0, 9)), patient);
        Assert.Equal(RejectReason.ReplayedNonce, Reason(replay));
        var zero = Transaction.Sign(new TransactionBody(_w.Network, patient.Id, 0, 5, World.Iot(0, 9)), patient);
        Assert.Equal(RejectReason.ReplayedNonce, Reason(zero));
        var gap = Transaction.Sign(new TransactionBody(_w.Network, patient.Id, 10, 5, World.Iot(0, 9)), patient);
        Assert.Equal(RejectReason.None, Reason(gap));
    }

    [Fact]
    public void A_duplicate_transaction_id_is_refused()
    {
        var (_, ps) = _w.Patient();
        var tx = ps.Sign(World.Iot(0, 0));
        _w.Commit(tx);
        Assert.Equal(RejectReason.DuplicateTransaction, Reason(tx));
    }

    [Fact]
    public void Iot_with_an_older_or_other_epoch_is_refused()
    {
        var (_, ps) = _w.Patient();
        var (doctor, _) = _w.Doctor();
        _w.Commit(ps.Sign(World.Keys(1, doctor)));
        _w.Commit(ps.Sign(World.Keys(2, doctor)));
        Assert.Equal(RejectReason.StaleEpoch, Reason(ps.Sign(World.Iot(1, 0))));
        Assert.Equal(RejectReason.StaleEpoch, Reason(ps.Sign(World.Iot(3, 0))));
        Assert.Equal(RejectReason.None, Reason(ps.Sign(World.Iot(2, 0))));
    }

    [Fact]
    public void A_reused_batch_number_is_refused()
    {
        var (_, ps) = _w.Patient();
        _w.Commit(ps.Sign(World.Iot(0, 5)));
        Assert.Equal(RejectReason.BatchReused, Reason(ps.Sign(World.Iot(0, 5))));
        Assert.Equal(RejectReason.BatchReused, Reason(ps.Sign(World.Iot(0, 4))));
    }

    [Fact]
    public void Live_sub_batches_must_start_above_the_last_committed_live_sequence_of_the_epoch()
    {
        var (_, ps) = _w.Patient();
        var (doctor, _) = _w.Doctor();
        _w.Commit(ps.Sign(World.Keys(1, doctor)));
        _w.Commit(ps.Sign(World.LiveIot(1, 1, 1, 10)));
        Assert.Equal(RejectReason.LiveSequenceReused, Reason(ps.Sign(World.LiveIot(1, 2, 10, 20))));
        Assert.Equal(RejectReason.LiveSequenceReused, Reason(ps.Sign(World.LiveIot(1, 2, 3, 3))));
        Assert.Equal(RejectReason.None, Reason(ps.Sign(World.LiveIot(1, 2, 11, 20))));

        // A batch without live sub-batches does not move the live counter; a new epoch (a fresh key) starts it again.
        _w.Commit(ps.Sign(World.Iot(1, 2)));
        Assert.Equal(RejectReason.LiveSequenceReused, Reason(ps.Sign(World.LiveIot(1, 3, 10, 12))));
        _w.Commit(ps.Sign(World.Keys(2, doctor)));
        Assert.Equal(RejectReason.None, Reason(ps.Sign(World.LiveIot(2, 3, 1, 5))));
    }

    [Fact]
    public void The_last_live_sequence_survives_a_snapshot()
    {
        var (patient, ps) = _w.Patient();
        _w.Commit(ps.Sign(World.LiveIot(0, 1, 1, 10)));
        var restored = LedgerState.FromSnapshot(_w.Genesis, _w.State.ToSnapshot());

        Assert.Equal(10UL, restored.GetPatientKeys(patient.Id)!.LastLive);
        Assert.Equal(_w.State.ComputeStateHash(), restored.ComputeStateHash());
        Assert.Equal(RejectReason.LiveSequenceReused, restored.Validate(ps.Sign(World.LiveIot(0, 2, 10, 11)))!.Reason);
    }

    [Fact]
    public void A_key_transaction_that_does_not_advance_the_epoch_is_refused()
    {
        var (_, ps) = _w.Patient();
        var (doctor, _) = _w.Doctor();
        _w.Commit(ps.Sign(World.Keys(3, doctor)));
        Assert.Equal(RejectReason.EpochNotAdvanced, Reason(ps.Sign(World.Keys(3, doctor))));
        Assert.Equal(RejectReason.EpochNotAdvanced, Reason(ps.Sign(World.Keys(2, doctor))));
    }

    [Fact]
    public void A_key_envelope_for_a_non_doctor_is_refused()
    {
        var (patient, ps) = _w.Patient();
        var (other, _) = _w.Patient();
        var stranger = _w.Keep(IdentityKey.Generate());
        Assert.Equal(RejectReason.EnvelopeForNonDoctor, Reason(ps.Sign(World.Keys(1, other))));
        Assert.Equal(RejectReason.EnvelopeForNonDoctor, Reason(ps.Sign(World.Keys(1, stranger))));
        Assert.Equal(RejectReason.EnvelopeForNonDoctor, Reason(ps.Sign(World.Keys(1, patient))));
    }

    [Fact]
    public void A_diagnosis_from_an_unauthorised_or_revoked_doctor_is_refused()
    {
        var (patient, ps) = _w.Patient(balance: 100);
        var (d1, s1) = _w.Doctor();
        var (d2, s2) = _w.Doctor();
        _w.Commit(ps.Sign(World.Keys(1, d1)), ps.Sign(new PaymentPayload(d1.Id, 50)), ps.Sign(new PaymentPayload(d2.Id, 50)));
        Assert.Equal(RejectReason.DoctorNotAuthorised, Reason(s2.Sign(World.Diagnosis(patient.Id, 1))));
        Assert.Equal(RejectReason.DoctorNotAuthorised, Reason(s1.Sign(World.Diagnosis(patient.Id, 7))));
        Assert.Equal(RejectReason.None, Reason(s1.Sign(World.Diagnosis(patient.Id, 1))));

        // Revoke d1: epoch 2 names d2 only; d1 may write nothing more, not even about epoch 1.
        _w.Commit(ps.Sign(World.Keys(2, d2)));
        Assert.Equal(RejectReason.DoctorNotAuthorised, Reason(s1.Sign(World.Diagnosis(patient.Id, 1))));
        Assert.Equal(RejectReason.DoctorNotAuthorised, Reason(s1.Sign(World.Diagnosis(patient.Id, 2))));
        Assert.Equal(RejectReason.None, Reason(s2.Sign(World.Diagnosis(patient.Id, 2))));
    }

    [Fact]
    public void A_diagnosis_without_paid_credit_is_refused()
    {
        var (patient, ps) = _w.Patient(balance: 100);
        var (doctor, ds) = _w.Doctor();
        _w.Commit(ps.Sign(World.Keys(1, doctor)), ps.Sign(new PaymentPayload(doctor.Id, 15)));
        _w.Commit(ds.Sign(World.Diagnosis(patient.Id, 1)));
        Assert.Equal(5UL, _w.State.GetCredit(doctor.Id, patient.Id));
        Assert.Equal(RejectReason.InsufficientCredit, Reason(ds.Sign(World.Diagnosis(patient.Id, 1))));
    }

    [Fact]
    public void A_diagnosis_about_a_non_patient_or_covering_foreign_data_is_refused()
    {
        var (patient, ps) = _w.Patient(balance: 100);
        var (other, os) = _w.Patient();
        var (doctor, ds) = _w.Doctor();
        _w.Commit(ps.Sign(World.Keys(1, doctor)), ps.Sign(new PaymentPayload(doctor.Id, 50)));
        var foreign = os.Sign(World.Iot(0, 0));
        _w.Commit(foreign);
        Assert.Equal(RejectReason.UnknownPatient, Reason(ds.Sign(World.Diagnosis(doctor.Id, 1))));
        Assert.Equal(RejectReason.InvalidCoveredTransaction, Reason(ds.Sign(World.Diagnosis(patient.Id, 1, foreign))));
        var notCommitted = ps.Sign(World.Iot(1, 0));
        Assert.Equal(RejectReason.InvalidCoveredTransaction, Reason(ds.Sign(World.Diagnosis(patient.Id, 1, notCommitted))));
        var follow = ds.Sign(World.Diagnosis(patient.Id, 1) with { Follows = foreign.IdBytes });
        Assert.Equal(RejectReason.InvalidFollowedDiagnosis, Reason(follow));
        _ = other;
    }

    [Fact]
    public void A_payment_beyond_the_balance_or_to_a_non_doctor_is_refused()
    {
        var (_, ps) = _w.Patient(balance: 10);
        var (other, _) = _w.Patient();
        var (doctor, _) = _w.Doctor();
        Assert.Equal(RejectReason.InsufficientBalance, Reason(ps.Sign(new PaymentPayload(doctor.Id, 11))));
        Assert.Equal(RejectReason.InvalidRecipient, Reason(ps.Sign(new PaymentPayload(other.Id, 1))));
        Assert.Equal(RejectReason.None, Reason(ps.Sign(new PaymentPayload(doctor.Id, 10))));
    }

    [Fact]
    public void Issuing_to_an_unknown_identity_or_overflowing_is_refused()
    {
        var (patient, _) = _w.Patient(balance: 10);
        var stranger = _w.Keep(IdentityKey.Generate());
        Assert.Equal(RejectReason.InvalidRecipient, Reason(_w.AdminSigner.Sign(new IssuePayload(stranger.Id, 1))));
        Assert.Equal(RejectReason.AmountOverflow, Reason(_w.AdminSigner.Sign(new IssuePayload(patient.Id, ulong.MaxValue))));
    }

    [Fact]
    public void An_invalid_transaction_inside_a_block_refuses_the_whole_block_and_changes_nothing()
    {
        var (_, ps) = _w.Patient();
        var (_, ds) = _w.Doctor();
        var before = _w.State.ComputeStateHash();
        var good = ps.Sign(World.Iot(0, 0));
        var bad = ds.Sign(World.Iot(0, 0));
        var block = _w.Seal(_w.State, [good, bad]);
        var r = _w.State.TryApplyBlock(block);
        Assert.Equal(RejectReason.BlockInvalidTransaction, r?.Reason);
        Assert.Contains("transaction 1", r!.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(RejectReason.WrongRole), r.Message, StringComparison.Ordinal);
        Assert.Equal(before, _w.State.ComputeStateHash());
        Assert.False(_w.State.ContainsTransaction(good.Id));
    }

    [Fact]
    public void A_transaction_twice_in_one_block_refuses_the_block()
    {
        var (_, ps) = _w.Patient();
        var tx = ps.Sign(World.Iot(0, 0));
        Assert.Equal(RejectReason.BlockInvalidTransaction, _w.State.TryApplyBlock(_w.Seal(_w.State, [tx, tx]))?.Reason);
    }

    [Fact]
    public void Blocks_with_bad_height_link_root_proposer_signature_time_or_chain_are_refused()
    {
        var (_, ps) = _w.Patient();
        var tx = ps.Sign(World.Iot(0, 0));
        var s = _w.State;
        var tip = s.Tip(ChainId.Userchain);
        var t = s.LastBlockTimeMs + 10;
        Assert.Equal(RejectReason.BlockHeightMismatch, s.TryApplyBlock(Block.Create(_w.Network, ChainId.Userchain, tip.BlockCount + 1, tip.LastHash, t, _w.Node, [tx]))?.Reason);
        Assert.Equal(RejectReason.BlockLinkBroken, s.TryApplyBlock(Block.Create(_w.Network, ChainId.Userchain, tip.BlockCount, new byte[32], t, _w.Node, [tx]))?.Reason);
        Assert.Equal(RejectReason.BlockUnknownProposer, s.TryApplyBlock(Block.Create(_w.Network, ChainId.Userchain, tip.BlockCount, tip.LastHash, t, _w.Admin, [tx]))?.Reason);
        Assert.Equal(RejectReason.BlockTimeRegressed, s.TryApplyBlock(Block.Create(_w.Network, ChainId.Userchain, tip.BlockCount, tip.LastHash, s.LastBlockTimeMs, _w.Node, [tx]))?.Reason);
        Assert.Equal(RejectReason.BlockInvalidTransaction, s.TryApplyBlock(Block.Create(_w.Network, ChainId.Docchain, 0, new byte[32], t, _w.Node, [tx]))?.Reason);

        var good = Block.Create(_w.Network, ChainId.Userchain, tip.BlockCount, tip.LastHash, t, _w.Node, [tx]);
        var badSig = good.Encode();
        var sigAt = badSig.AsSpan().IndexOf(good.Signature);
        badSig[sigAt + 5] ^= 1;
        Assert.Equal(RejectReason.BlockBadSignature, s.TryApplyBlock(Block.Decode(badSig))?.Reason);

        var other = ps.Sign(World.Iot(0, 1));
        var swapped = Reencode(good, other);
        Assert.Equal(RejectReason.BlockMerkleRootMismatch, s.TryApplyBlock(Block.Decode(swapped))?.Reason);
        Assert.Null(s.TryApplyBlock(good));
    }

    [Fact]
    public void Genesis_round_trips_through_json_and_keeps_its_hash()
    {
        var json = _w.Genesis.ToJson();
        var again = Genesis.Parse(json);
        Assert.Equal(_w.Genesis.Hash, again.Hash);
        Assert.Equal(10UL, again.DiagnosisFee);
        Assert.Throws<FormatException>(() => Genesis.Parse(json.Replace("\"admin\"", "\"boss\"", StringComparison.Ordinal)));
    }

    private static byte[] Reencode(Transaction tx, byte[] signature)
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartArray(2);
        w.WriteByteString(tx.BodyBytes);
        w.WriteByteString(signature);
        w.WriteEndArray();
        return w.Encode();
    }

    private static byte[] Reencode(Block block, Transaction replacement)
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartArray(3);
        w.WriteByteString(block.HeaderBytes);
        w.WriteByteString(block.Signature);
        w.WriteStartArray(1);
        w.WriteEncodedValue(replacement.Encode());
        w.WriteEndArray();
        w.WriteEndArray();
        return w.Encode();
    }
}
