namespace HealthBlock.Web;

/// <summary>One screening finding of a diagnosis, with its absolute evidence span.</summary>
/// <param name="Kind">What it is about (e.g. Tachycardia).</param>
/// <param name="Severity">Info, Low, Moderate, High or Critical.</param>
/// <param name="Text">Its plain-language text.</param>
/// <param name="Device">The device whose readings it came from, or null when unknown.</param>
/// <param name="StartMs">Start of its evidence span (Unix ms), or null.</param>
/// <param name="EndMs">End of its evidence span (Unix ms), or null.</param>
/// <param name="Algorithm">The algorithm that produced it, with its version.</param>
public sealed record FindingView(string Kind, string Severity, string Text, string? Device, long? StartMs, long? EndMs, string Algorithm)
{
    /// <summary>True for an ECG finding with a span to mark on a strip.</summary>
    public bool HasSpan => Device is not null && StartMs is not null && EndMs is not null;
}
