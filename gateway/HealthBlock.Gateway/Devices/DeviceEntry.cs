namespace HealthBlock.Gateway.Devices;

/// <summary>A device as the registry knows it.</summary>
/// <param name="Id">Device id.</param>
/// <param name="Key">The 32-byte HMAC key.</param>
/// <param name="State">Pairing state.</param>
/// <param name="PairedMs">When it was paired.</param>
/// <param name="Pairing">Which pairing of this device id (1 at first, one more at each re-pairing); its frames' sequence numbers count within it.</param>
/// <param name="MqttPassword">The device's broker password: only in the entry <see cref="DeviceRegistry.Pair"/> returns (it goes into the pairing blob); the registry keeps its hash alone.</param>
public sealed record DeviceEntry(ulong Id, byte[] Key, DeviceState State, long PairedMs, long Pairing = 1, string? MqttPassword = null)
{
    /// <summary>The device's broker user name: its id, 16 lowercase hex digits.</summary>
    public string MqttUsername => Protocol.Frames.DeviceFrame.FormatDeviceId(Id);
}
