namespace HealthBlock.Devnet;

/// <summary>What the live view shows each second.</summary>
/// <param name="Elapsed">Time since the wearables started.</param>
/// <param name="Phase">What the devnet is doing.</param>
/// <param name="FramesPerSecond">Frames journalled in the last second.</param>
/// <param name="FramesAcked">Frames acknowledged so far.</param>
/// <param name="Backlog">Frames journalled but not yet committed.</param>
/// <param name="UserchainBlocks">Userchain height.</param>
/// <param name="DocchainBlocks">Docchain height.</param>
/// <param name="Diagnoses">Diagnoses committed.</param>
/// <param name="Rejections">Frames refused by the gateways.</param>
/// <param name="LatencyP50">Reading → diagnosis p50 so far (ms).</param>
/// <param name="LatencyP99">Reading → diagnosis p99 so far (ms).</param>
/// <param name="Findings">Latest findings per patient.</param>
public sealed record DevnetSnapshot(
    TimeSpan Elapsed,
    string Phase,
    double FramesPerSecond,
    long FramesAcked,
    long Backlog,
    ulong UserchainBlocks,
    ulong DocchainBlocks,
    long Diagnoses,
    long Rejections,
    double LatencyP50,
    double LatencyP99,
    IReadOnlyList<(string Patient, string Finding)> Findings);
