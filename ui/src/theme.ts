import type { ThemeConfig } from 'antd';

/**
 * Colours chosen so that every text passes WCAG 2.2 AA (4.5:1) on its background:
 * antd's default primary (#1677ff, 4.1:1 with white) and its grey secondary texts do not.
 */
export const FONT_FAMILY =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", ' +
  '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export const PRIMARY = '#0958d9'; // 6.2:1 with white
export const NAV_BG = '#001529';
/** Smallest touch target outside elder mode, in CSS px (DOMAIN.md; WCAG 2.5.5 AAA size). */
export const TARGET = 44;

/** Dark seed colours would give dark derived backgrounds: keep antd's usual light ones. */
const LIGHT_STATUS_BACKGROUNDS = {
  colorSuccessBg: '#f6ffed',
  colorSuccessBorder: '#95de64',
  colorWarningBg: '#fffbe6',
  colorWarningBorder: '#ffd666',
  colorErrorBg: '#fff1f0',
  colorErrorBorder: '#ff7875',
  colorInfoBg: '#e6f4ff',
  colorInfoBorder: '#69b1ff',
};

export const theme: ThemeConfig = {
  token: {
    colorPrimary: PRIMARY,
    colorPrimaryHover: '#003eb3', // antd would derive a lighter blue (4.2:1 with white)
    colorPrimaryActive: '#002c8c',
    colorInfo: PRIMARY,
    colorLink: PRIMARY,
    colorLinkHover: '#003eb3',
    colorLinkActive: '#002c8c',
    colorSuccess: '#237804', // 5.6:1
    colorWarning: '#874d00', // 7.1:1
    colorError: '#cf1322', // 5.6:1
    ...LIGHT_STATUS_BACKGROUNDS,
    colorText: 'rgba(0, 0, 0, 0.88)',
    colorTextSecondary: '#595959', // 7.0:1
    colorTextTertiary: '#5c5c5c',
    colorTextDescription: '#5c5c5c',
    colorTextPlaceholder: '#666666', // 5.7:1
    colorTextLabel: '#595959',
    colorTextHeading: 'rgba(0, 0, 0, 0.88)',
    fontFamily: FONT_FAMILY,
    fontSize: 15,
    // DOMAIN.md: touch targets at least 44 x 44 outside elder mode (the e2e suite measures
    // every interactive element on every screen). "Small" controls are no smaller: a teller
    // taps them too.
    controlHeight: TARGET,
    controlHeightSM: TARGET,
  },
  components: {
    Layout: {
      headerBg: '#ffffff',
      headerHeight: 'auto',
      headerPadding: '0',
      siderBg: NAV_BG,
      footerBg: '#f0f0f0',
      footerPadding: '8px 16px',
    },
    Table: {
      headerColor: 'rgba(0, 0, 0, 0.88)',
      headerBg: '#f5f5f5',
    },
    Pagination: {
      itemActiveBg: '#ffffff',
      itemSize: TARGET,
      itemSizeSM: TARGET,
    },
    Menu: {
      itemHeight: TARGET,
    },
    Segmented: {
      // The track's padding would make each option 4 px shorter than the control.
      trackPadding: 0,
    },
    Alert: {
      ...LIGHT_STATUS_BACKGROUNDS,
      colorText: 'rgba(0, 0, 0, 0.88)',
    },
  },
};
