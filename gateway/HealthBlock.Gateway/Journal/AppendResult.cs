namespace HealthBlock.Gateway.Journal;

/// <summary>The journal's answer for one frame.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="FrameId">The journal id of the frame (0 unless appended or duplicate).</param>
/// <param name="LastSequence">The device's last accepted sequence number before this frame, if any.</param>
/// <param name="Gap">Sequence numbers missing before this frame (0 when none).</param>
public readonly record struct AppendResult(AppendOutcome Outcome, long FrameId, long? LastSequence, long Gap);
