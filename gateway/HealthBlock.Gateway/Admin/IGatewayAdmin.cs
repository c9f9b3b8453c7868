namespace HealthBlock.Gateway.Admin;

/// <summary>
/// The gateway's admin operations. <see cref="LocalGatewayAdmin"/> carries them out on a store (in the running gateway,
/// behind its <see cref="AdminEndpoint"/>; in the CLI, while the gateway is stopped); <see cref="AdminClient"/> asks a
/// running gateway for them over its signed loopback endpoint. Refusals are <see cref="GatewayAdminException"/>.
/// </summary>
public interface IGatewayAdmin
{
    /// <summary>Pairs a device and returns its pairing blob.</summary>
    Task<PairedDevice> PairAsync(PairRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every device ever paired, with its last frame.</summary>
    Task<IReadOnlyList<DeviceSummary>> DevicesAsync(CancellationToken cancellationToken = default);

    /// <summary>Unpairs a device: its frames are refused from now on.</summary>
    Task<DeviceSummary> UnpairAsync(string device, CancellationToken cancellationToken = default);

    /// <summary>Grants a doctor (a key transaction: new epoch, new IoT key).</summary>
    Task<EpochChange> GrantAsync(string doctor, CancellationToken cancellationToken = default);

    /// <summary>Revokes a doctor (a key transaction: new epoch, new IoT key, envelopes only for the others).</summary>
    Task<EpochChange> RevokeAsync(string doctor, CancellationToken cancellationToken = default);

    /// <summary>Pays a doctor.</summary>
    Task<PaymentResult> PayAsync(PaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opts the patient in to or out of a statistics identity's cohort statistics (a consent transaction signed by the
    /// patient); the gateway contributes encrypted periods only while the patient is opted in.
    /// </summary>
    Task<ConsentResult> ConsentAsync(ConsentRequest request, CancellationToken cancellationToken = default);

    /// <summary>The parked batches, oldest first, with how many of their frames still hold readings.</summary>
    Task<IReadOnlyList<ParkedBatch>> ParkedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops the readings of a parked batch (the operator's decision: they were never published and will not be); its
    /// frames keep their sequence numbers and MAC tags, so a retransmission is still told from a replay.
    /// </summary>
    Task<ParkedBatch> DropParkedAsync(ulong batch, CancellationToken cancellationToken = default);

    /// <summary>Epoch, doctors, balance, credits, backlog, parked batches and rejection counters.</summary>
    Task<PatientStatus> StatusAsync(CancellationToken cancellationToken = default);
}
