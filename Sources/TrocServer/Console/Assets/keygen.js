// Generates the firm's X25519 key pair in the page (WebCrypto): the private key is offered as a PKCS#8 PEM file, the
// same format as `troc keygen` writes (docs/envelope.md section 2), and only the public key goes into the form.
const section = document.getElementById("keygen");
const start = document.getElementById("keygen-start");
const save = document.getElementById("keygen-save");
const help = document.getElementById("keygen-help");
const field = document.getElementById("publicKey");

/** PEM text of DER bytes. */
function pem(label, bytes) {
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const lines = btoa(binary).match(/.{1,64}/g).join("\n");
    return `-----BEGIN ${label}-----\n${lines}\n-----END ${label}-----\n`;
}

if (section && globalThis.crypto && crypto.subtle) {
    start.hidden = false;
    start.addEventListener("click", async () => {
        const pair = await crypto.subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
        const privateKey = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
        const publicKey = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
        save.href = URL.createObjectURL(new Blob([pem("PRIVATE KEY", privateKey)], { type: "application/x-pem-file" }));
        save.download = section.dataset.fileName;
        save.hidden = false;
        help.hidden = false;
        field.value = pem("PUBLIC KEY", publicKey);
        save.focus();
    });
}
