namespace HealthBlock.Gateway.Admin;

/// <summary>A device just paired.</summary>
/// <param name="Device">The device id (16 lowercase hex digits).</param>
/// <param name="State">pending or active.</param>
/// <param name="Pairing">Which pairing of this device id this is (1 at first).</param>
/// <param name="PairingBlob">The <c>hbpair2</c> provisioning blob to flash into the wearable (it carries the device key).</param>
public sealed record PairedDevice(string Device, string State, long Pairing, string PairingBlob);
