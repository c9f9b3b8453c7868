using System.Device.I2c;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Simulation.Thermometer;

/// <summary>
/// The firmware core's <see cref="II2cDevice"/> over a .NET <see cref="I2cDevice"/> (an emulator, or a real bus on a
/// Raspberry Pi): the host twin of the device's nanoFramework I2C adapter.
/// </summary>
public sealed class I2cDeviceAdapter(I2cDevice device) : II2cDevice
{
    /// <inheritdoc />
    public int Address => device.ConnectionSettings.DeviceAddress;

    /// <summary>Runs the transfer; a missing acknowledgement (an <see cref="IOException"/>) is <c>false</c>.</summary>
    public bool WriteRead(byte[] writeBuffer, byte[] readBuffer)
    {
        try
        {
            device.WriteRead(writeBuffer, readBuffer);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
