namespace HealthBlock.Protocol.Frames;

/// <summary>Frame flags (byte 2).</summary>
[Flags]
public enum FrameFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>ECG leads were off; the samples carry no signal.</summary>
    LeadOff = FrameLayout.FlagLeadOff,

    /// <summary>The sensor reported a fault or saturated.</summary>
    SensorFault = FrameLayout.FlagSensorFault,
}
