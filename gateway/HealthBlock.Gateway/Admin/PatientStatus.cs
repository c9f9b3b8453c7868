namespace HealthBlock.Gateway.Admin;

/// <summary>What <c>healthblock patient status</c> shows.</summary>
/// <param name="Patient">The patient id.</param>
/// <param name="Running">True when the answer comes from the running gateway.</param>
/// <param name="Epoch">The ledger's key epoch of the patient, or null when not registered.</param>
/// <param name="Doctors">The doctors authorised in that epoch.</param>
/// <param name="Balance">Healthcoin balance.</param>
/// <param name="Credits">Paid credit per authorised doctor.</param>
/// <param name="Backlog">Frames not yet in a committed (or parked) batch.</param>
/// <param name="ParkedBatches">Batches the ledger refused for good.</param>
/// <param name="ParkedFrames">Frames in them.</param>
/// <param name="Rejections">Refused frames by reason, over all runs.</param>
public sealed record PatientStatus(
    string Patient,
    bool Running,
    uint? Epoch,
    IReadOnlyList<string> Doctors,
    ulong Balance,
    IReadOnlyDictionary<string, ulong> Credits,
    long Backlog,
    long ParkedBatches,
    long ParkedFrames,
    IReadOnlyDictionary<string, long> Rejections);
