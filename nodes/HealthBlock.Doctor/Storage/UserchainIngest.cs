using HealthBlock.Crypto;

namespace HealthBlock.Doctor.Storage;

/// <summary>
/// Applies one Userchain block's effects (<see cref="IngestOp"/>s, in block order) and moves the cursor past it, in one
/// durable SQLite transaction: a restart resumes exactly after the last block handled, and a block applied again (the
/// cursor only grows; IoT transactions and payments are recorded by transaction id) changes nothing.
/// <list type="bullet">
/// <item><see cref="KeyGrantedOp"/>: the keys of the epoch are stored and the patient is served (again).</item>
/// <item><see cref="KeyWithdrawnOp"/> of a known patient: it is no longer served and its waiting IoT transactions become not authorised.</item>
/// <item><see cref="IotOp"/> of a known patient: recorded once, as diagnosed (already covered), not authorised (revoked,
/// refused, or no key for its epoch) or pending.</item>
/// <item><see cref="PaymentOp"/>: added to the patient's credit; its IoT transactions awaiting payment become pending.</item>
/// </list>
/// </summary>
internal sealed class UserchainIngest(DoctorDatabase db)
{
    private const string HeadMeta = "userchain-head";

    /// <summary>The next Userchain height to handle.</summary>
    public ulong Cursor => db.Counters.Get(CounterTable.UserchainCursor);

    /// <summary>
    /// The height and hash of the last Userchain block handled with its hash (null before the first one): the next
    /// block must link to it.
    /// </summary>
    public (ulong Height, byte[] Hash)? Head => db.Counters.GetMeta(HeadMeta) is { Length: 8 + 32 } head
        ? (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(head), head[8..])
        : null;

    /// <summary>
    /// Applies the block at <paramref name="height"/> and moves the cursor to <paramref name="height"/> + 1; with its
    /// <paramref name="blockHash"/>, that block becomes the <see cref="Head"/> in the same transaction.
    /// </summary>
    public IngestResult Apply(ulong height, IReadOnlyList<IngestOp> ops, long nowMs, byte[]? blockHash = null) => db.WriteDurable(s =>
    {
        ArgumentNullException.ThrowIfNull(ops);
        var delta = new StateDelta();
        var schedule = new HashSet<IdentityId>();
        var withdrawn = new HashSet<IdentityId>();
        foreach (var op in ops)
        {
            switch (op)
            {
                case KeyGrantedOp granted:
                    PatientTable.StoreKeys(s, granted);
                    PatientTable.Upsert(s, granted.Patient, true, granted.Epoch, nowMs);
                    schedule.Add(granted.Patient);
                    break;
                case KeyWithdrawnOp w when PatientTable.Read(s, w.Patient) is { } known:
                    if (known.Authorised)
                    {
                        withdrawn.Add(w.Patient);
                    }

                    PatientTable.Upsert(s, w.Patient, false, w.Epoch, nowMs);
                    IotTable.MoveWaiting(s, delta, w.Patient, IotState.NotAuthorised, w.Reason, nowMs);
                    break;
                case IotOp { Item: var item } when !IotTable.Exists(s, item.TxId) && PatientTable.Read(s, item.Patient) is { } patient:
                    var (state, reason) = Classify(s, item, patient);
                    IotTable.Insert(s, delta, item, state, reason, nowMs);
                    if (state == IotState.Pending)
                    {
                        schedule.Add(item.Patient);
                    }

                    break;
                case PaymentOp pay:
                    CreditTable.RecordPayment(s, pay.TxId, pay.Patient, pay.Amount);
                    if (IotTable.ReleaseAwaiting(s, delta, pay.Patient, nowMs) > 0)
                    {
                        schedule.Add(pay.Patient);
                    }

                    break;
            }
        }

        CounterTable.Raise(s, CounterTable.UserchainCursor, height + 1);
        if (blockHash is { Length: 32 })
        {
            var head = new byte[8 + 32];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(head, height);
            blockHash.CopyTo(head, 8);
            CounterTable.SetMeta(s, HeadMeta, head);
        }

        return new IngestResult(schedule, delta, withdrawn);
    });

    /// <summary>The state a newly seen IoT transaction of a known patient starts in, and why when not pending.</summary>
    private static (IotState State, string? Reason) Classify(SqlScope s, IotItem item, PatientRow patient)
    {
        if (DiagnosisTable.IsCovered(s, item.TxId))
        {
            return (IotState.Diagnosed, null);
        }

        if (!patient.Served)
        {
            return (IotState.NotAuthorised, patient.Refused ? "the ledger refused this doctor" : "revoked");
        }

        return PatientTable.HasKeys(s, item.Patient, item.Epoch)
            ? (IotState.Pending, null)
            : (IotState.NotAuthorised, $"no key for epoch {item.Epoch}");
    }
}
