// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace nanoFramework.M2Mqtt.Messages
{
    public enum MqttReasonCode
    {
        Success = 0x00,
    }
}
