// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        I2C1_DATA = 0x00020100,
        I2C1_CLOCK = 0x00020101,
        COM2_TX = 0x00030200,
        COM2_RX = 0x00030201,
    }
}
