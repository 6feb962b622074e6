"""DocTypes used only by the tests (module "Uji"); installed on test sites via site_config apps."""
