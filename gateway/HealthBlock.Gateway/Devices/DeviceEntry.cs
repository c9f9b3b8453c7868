namespace HealthBlock.Gateway.Devices;

/// <summary>A device as the registry knows it.</summary>
/// <param name="Id">Device id.</param>
/// <param name="Key">The 32-byte HMAC key.</param>
/// <param name="State">Pairing state.</param>
/// <param name="PairedMs">When it was paired.</param>
/// <param name="Pairing">Which pairing of this device id (1 at first, one more at each re-pairing); its frames' sequence numbers count within it.</param>
public sealed record DeviceEntry(ulong Id, byte[] Key, DeviceState State, long PairedMs, long Pairing = 1);
