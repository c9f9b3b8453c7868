using HealthBlock.Protocol.Pairing;

namespace HealthBlock.HardwareTests.Infrastructure;

/// <summary>
/// A test against a real, flashed wearable. It runs only when <c>HEALTHBLOCK_DEVICE</c> names the device (16 hex
/// digits); otherwise it reports as skipped, with the reason. Mark such tests <c>[Trait("hardware", "device")]</c>
/// so CI can leave them out with <c>--filter "hardware!=device"</c>.
/// </summary>
public sealed class DeviceFactAttribute : FactAttribute
{
    public DeviceFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DeviceUnderTest.DeviceVariable)))
        {
            Skip = $"no device under test: set {DeviceUnderTest.DeviceVariable}=<16 hex digits> and "
                + $"{DeviceUnderTest.PairingVariable}=<its pairing blob> to listen to a flashed wearable (hardware-tests/README.md)";
        }
    }
}

/// <summary>The flashed device the hardware tests listen to, from the environment.</summary>
public static class DeviceUnderTest
{
    public const string DeviceVariable = "HEALTHBLOCK_DEVICE";
    public const string PairingVariable = "HEALTHBLOCK_PAIRING";

    /// <summary>
    /// The device's pairing blob (its broker, patient and key). A device named without a matching, valid blob is a
    /// bench set-up error: it fails the test rather than skipping it.
    /// </summary>
    public static PairingBlob Pairing
    {
        get
        {
            var device = Environment.GetEnvironmentVariable(DeviceVariable)?.Trim();
            var text = Environment.GetEnvironmentVariable(PairingVariable);
            if (!PairingBlob.TryParse(text, out var blob, out var error))
            {
                throw new InvalidOperationException($"{DeviceVariable}={device} is set but {PairingVariable} is not a valid pairing blob ({PairingBlob.ErrorName(error)})");
            }

            if (!string.Equals(blob.DeviceHex, device, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{PairingVariable} pairs device {blob.DeviceHex}, not {DeviceVariable}={device}");
            }

            return blob;
        }
    }
}
