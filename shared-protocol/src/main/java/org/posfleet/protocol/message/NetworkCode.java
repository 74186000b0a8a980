package org.posfleet.protocol.message;

/** 60.3 network management information codes, and the key suites a sign-on asks for. */
public final class NetworkCode {

    public static final int SIGN_ON_SINGLE_DES = 1;
    public static final int SIGN_OFF = 2;
    public static final int SIGN_ON_DOUBLE_DES = 3;
    public static final int SIGN_ON_DOUBLE_DES_WITH_TDK = 4;
    /** Project's choice: SM4 PIK, MAK and TDK (docs/protocol.md). */
    public static final int SIGN_ON_SM4 = 5;
    public static final int SETTLEMENT = 201;
    public static final int BATCH_UPLOAD = 201;
    public static final int BATCH_UPLOAD_END_NOT_BALANCED = 202;
    public static final int BATCH_UPLOAD_END_BALANCED = 207;
    public static final int ECHO_TEST = 301;
    /** Project's choice: remote TMK download request and confirmation (docs/protocol.md). */
    public static final int TMK_DOWNLOAD = 350;
    public static final int TMK_CONFIRM = 351;
    public static final int PARAMETER_DOWNLOAD = 360;
    public static final int STATUS_UPLOAD = 362;
    public static final int IC_KEY_DOWNLOAD = 370;
    public static final int IC_KEY_DOWNLOAD_END = 371;
    public static final int IC_KEY_QUERY = 372;
    public static final int IC_PARAMETER_DOWNLOAD = 380;
    public static final int IC_PARAMETER_DOWNLOAD_END = 381;
    public static final int IC_PARAMETER_QUERY = 382;
    public static final int SIGNATURE_UPLOAD = 800;

    private NetworkCode() {
    }

    public static boolean isSignOn(int code) {
        return code == SIGN_ON_SINGLE_DES || code == SIGN_ON_DOUBLE_DES || code == SIGN_ON_DOUBLE_DES_WITH_TDK || code == SIGN_ON_SM4;
    }
}
