'use strict'
// Stand-in: exports no WebRTC implementation, so js-ipfs starts without the webrtc-star transport.
module.exports = undefined
