namespace HealthBlock.Gateway.Devices;

/// <summary>A paired device's state.</summary>
public enum DeviceState
{
    /// <summary>Paired but waiting for the pairing window (button) to be activated.</summary>
    Pending,

    /// <summary>Its frames are accepted.</summary>
    Active,

    /// <summary>Unpaired; its frames are refused.</summary>
    Removed,
}
