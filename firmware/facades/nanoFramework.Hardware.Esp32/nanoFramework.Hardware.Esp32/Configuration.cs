// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value) => throw null;
    }
}
