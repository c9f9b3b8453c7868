using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Devices;

/// <summary>Pairing a device that is already paired, without asking to replace its key.</summary>
public sealed class DeviceAlreadyPairedException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="device"/>.</summary>
    public DeviceAlreadyPairedException(ulong device)
        : base($"Device {DeviceFrame.FormatDeviceId(device)} is already paired; pairing it again replaces its key and restarts its sequence numbers (pass --replace).")
    {
        Device = device;
    }

    /// <summary>Creates the exception.</summary>
    public DeviceAlreadyPairedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DeviceAlreadyPairedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DeviceAlreadyPairedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The device.</summary>
    public ulong Device { get; }
}
